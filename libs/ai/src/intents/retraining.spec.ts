import { FORGETTING_LIMIT, judgeRetraining, judgingAccuracy } from './retraining';

describe('judgeRetraining: staff labels judge, confirmations guard against forgetting', () => {
  it('promotes a model better on the staff-labelled examples that loses a little on the confirmed ones', () => {
    const j = judgeRetraining({ staff: 0.2, confirmed: 0.95 }, { staff: 0.7, confirmed: 0.9 });
    expect(j.promote).toBe(true);
    expect(j.reason).toBe('no worse on the staff-labelled held-out examples 70% against 20%; confirmed 90% against 95%');
  });

  it('rejects a model worse on the staff-labelled examples, however it does on the confirmed ones', () => {
    const j = judgeRetraining({ staff: 0.6, confirmed: 0.8 }, { staff: 0.5, confirmed: 1 });
    expect(j).toEqual({ promote: false, reason: 'worse on the staff-labelled held-out examples 50% against 60%' });
  });

  it('rejects a model that forgets more than the limit on the confirmed examples', () => {
    const j = judgeRetraining({ staff: 0.2, confirmed: 0.95 }, { staff: 0.9, confirmed: 0.95 - FORGETTING_LIMIT - 0.01 });
    expect(j.promote).toBe(false);
    expect(j.reason).toMatch(/^worse on the confirmed held-out examples \(84% against 95%\) by more than 10%$/);
  });

  it('with confirmed examples only, asks for no worse on them; with none, judges nothing', () => {
    expect(judgeRetraining({ staff: null, confirmed: 0.9 }, { staff: null, confirmed: 0.9 }).promote).toBe(true);
    expect(judgeRetraining({ staff: null, confirmed: 0.9 }, { staff: null, confirmed: 0.89 }).promote).toBe(false);
    expect(judgeRetraining({ staff: null, confirmed: null }, { staff: null, confirmed: null })).toEqual({ promote: false, reason: 'no held-out examples to judge it on yet' });
  });

  it('shows the staff-labelled figure when there is one', () => {
    expect(judgingAccuracy({ staff: 0.5, confirmed: 0.9 })).toBe(0.5);
    expect(judgingAccuracy({ staff: null, confirmed: 0.9 })).toBe(0.9);
  });
});
