import { BaseRpcContext } from '@nestjs/microservices';

/** What `@Ctx()` gives a bus handler: the subject the message or request arrived on. */
export class BusContext extends BaseRpcContext<[string]> {
  constructor(subject: string) {
    super([subject]);
  }

  getSubject(): string {
    return this.args[0];
  }
}
