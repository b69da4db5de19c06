import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { ValidationFailed, newId } from '@cs/contracts';
import { Team, TeamMember, User } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { TeamBody, UpdateTeamBody } from './dto/helpdesk.dto';

export interface TeamView {
  id: string;
  name: string;
  receivesHandoffs: boolean;
  members: { id: string; name: string | null; email: string; availability: string }[];
  createdAt: Date;
}

/** Teams of a tenant's staff (issue 17): who hand-offs are assigned to, round-robin. */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string): Promise<{ items: TeamView[] }> {
    const teams = await this.db.manager.find(Team, { where: { tenantId }, order: { createdAt: 'ASC' } });
    return { items: await this.views(this.db.manager, tenantId, teams) };
  }

  async get(tenantId: string, id: string): Promise<TeamView> {
    const [view] = await this.views(this.db.manager, tenantId, [await this.find(this.db.manager, tenantId, id)]);
    return view;
  }

  async create(caller: Principal, tenantId: string, body: TeamBody): Promise<TeamView> {
    return this.db.transaction(async (manager) => {
      await this.assertNameFree(manager, tenantId, body.name);
      const team = manager.create(Team, { id: newId(), tenantId, name: body.name, receivesHandoffs: false, lastAssignedUserId: null });
      await manager.save(team);
      await this.apply(manager, team, body);
      await this.audit.record(caller, 'team.create', { type: 'team', id: team.id }, { name: body.name }, manager);
      const [view] = await this.views(manager, tenantId, [team]);
      return view;
    });
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateTeamBody): Promise<TeamView> {
    return this.db.transaction(async (manager) => {
      const team = await this.find(manager, tenantId, id, true);
      if (body.name !== undefined && body.name !== team.name) await this.assertNameFree(manager, tenantId, body.name);
      await this.apply(manager, team, body);
      await this.audit.record(caller, 'team.update', { type: 'team', id }, { fields: Object.keys(body) }, manager);
      const [view] = await this.views(manager, tenantId, [team]);
      return view;
    });
  }

  async remove(caller: Principal, tenantId: string, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.find(manager, tenantId, id, true);
      await manager.query('UPDATE conversations SET team_id = NULL WHERE tenant_id = $1 AND team_id = $2', [tenantId, id]);
      await manager.delete(Team, { id, tenantId });
      await this.audit.record(caller, 'team.delete', { type: 'team', id }, {}, manager);
    });
  }

  /** Name, hand-off flag (taken from any other team of the tenant) and members, in the caller's transaction. */
  private async apply(manager: EntityManager, team: Team, body: UpdateTeamBody): Promise<void> {
    if (body.memberIds) {
      const ids = [...new Set(body.memberIds)];
      const found = ids.length
        ? await manager.find(User, { where: { id: In(ids), tenantId: team.tenantId, role: In(['owner', 'admin', 'agent']), disabledAt: IsNull() }, select: { id: true } })
        : [];
      const unknown = ids.filter((id) => !found.some((user) => user.id === id));
      if (unknown.length) throw new ValidationFailed([{ path: 'memberIds', message: `no active staff of this tenant has the id ${unknown.join(', ')}` }]);
      await manager.delete(TeamMember, { teamId: team.id });
      if (ids.length) await manager.insert(TeamMember, ids.map((userId) => ({ teamId: team.id, userId, tenantId: team.tenantId })));
    }
    if (body.receivesHandoffs) await manager.update(Team, { tenantId: team.tenantId, receivesHandoffs: true }, { receivesHandoffs: false });
    if (body.name !== undefined) team.name = body.name;
    if (body.receivesHandoffs !== undefined) team.receivesHandoffs = body.receivesHandoffs;
    await manager.update(Team, { id: team.id }, { name: team.name, receivesHandoffs: team.receivesHandoffs });
  }

  private async find(manager: EntityManager, tenantId: string, id: string, lock = false): Promise<Team> {
    const team = await manager.findOne(Team, { where: { id, tenantId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!team) throw new NotFoundException('no such team');
    return team;
  }

  private async assertNameFree(manager: EntityManager, tenantId: string, name: string): Promise<void> {
    if (await manager.exists(Team, { where: { tenantId, name } })) throw new ConflictException(`name: a team named "${name}" exists`);
  }

  private async views(manager: EntityManager, tenantId: string, teams: Team[]): Promise<TeamView[]> {
    if (!teams.length) return [];
    const rows: { team_id: string; id: string; name: string | null; email: string; availability: string }[] = await manager.query(
      `SELECT m.team_id, u.id, u.name, u.email, u.availability FROM team_members m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.team_id = ANY($2::uuid[]) ORDER BY u.name NULLS LAST, u.email`,
      [tenantId, teams.map((t) => t.id)],
    );
    return teams.map((team) => ({
      id: team.id,
      name: team.name,
      receivesHandoffs: team.receivesHandoffs,
      members: rows.filter((r) => r.team_id === team.id).map(({ id, name, email, availability }) => ({ id, name, email, availability })),
      createdAt: team.createdAt,
    }));
  }
}
