import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import type { ChatTurn } from '../capabilities.js';
import { evaluatePractice, replay, rolePlayTurn, scenarioById } from './roleplay.js';
import { PRACTICE_SCENARIOS, SCENARIOS } from './scenarios.js';

const ANGRY = 'angry-customer-phone-shared';
const DELETE = 'deletion-request';

async function play(scenarioId: string, messages: string[]) {
  const history: ChatTurn[] = [];
  const replies: string[] = [];
  for (const message of messages) {
    let reply = '';
    for await (const e of rolePlayTurn({ scenarioId, scenario: '', history, message })) if (e.type === 'delta') reply += e.text;
    replies.push(reply);
    history.push({ role: 'user', content: message }, { role: 'assistant', content: reply });
  }
  return { history, replies };
}

const GOOD_ANGRY = [
  '非常抱歉给您带来困扰，我理解您的心情。',
  '根据《个人信息保护法》第二十三条，我们向第三方提供您的信息必须告知您接收方，并取得您的单独同意。',
  '我们会马上核查您信息的去向，如确有提供会立即停止并要求对方删除，3个工作日内回复您处理结果；您也可以向网信部门投诉。',
  '感谢您的耐心，有问题随时联系我。',
];

describe('builtin role-play', () => {
  it('lists at least two scenarios with an opening line for the practice UI', () => {
    expect(PRACTICE_SCENARIOS.length).toBeGreaterThanOrEqual(2);
    for (const s of PRACTICE_SCENARIOS) {
      expect(s.id && s.title && s.description && s.opening).toBeTruthy();
      expect(scenarioById(s.id).stages.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('walks the angry customer through every stage when the trainee makes each stage’s points', async () => {
    const scenario = scenarioById(ANGRY);
    const { replies } = await play(ANGRY, GOOD_ANGRY);
    expect(replies).toEqual(scenario.stages.map((s) => s.advance));
    expect(replay(scenario, GOOD_ANGRY).stage).toBe(scenario.stages.length);
  });

  it('pushes back, naming what is missing, and holds the stage until it is made', async () => {
    const scenario = scenarioById(ANGRY);
    const { replies } = await play(ANGRY, ['您好，请问有什么可以帮您？', '嗯嗯', '真的很抱歉，让您着急了。']);
    const calm = scenario.stages[0]!;
    expect(calm.points.map((p) => p.ask)).toContain(replies[0]);
    expect(replies[1]).toMatch(new RegExp(`^(${scenario.impatience.join('|')})`));
    expect(replies[2]).toBe(calm.advance);
  });

  it('objects to blame and wrong law, and does not advance', async () => {
    const scenario = scenarioById(ANGRY);
    const { replies } = await play(ANGRY, ['这跟我们没关系，是您自己泄露的吧', '抱歉，我理解您。', '向第三方提供信息不需要同意的。']);
    expect(replies[0]).toBe(scenario.pitfalls[0]!.reply);
    expect(replies[1]).toBe(scenario.stages[0]!.advance);
    expect(replies[2]).toBe(scenario.pitfalls[1]!.reply);
    expect(replay(scenario, ['这跟我们没关系，是您自己泄露的吧']).stage).toBe(0);
  });

  it('derives its state from the history alone (same history, same reply)', async () => {
    const a = await play(DELETE, ['好的，收到您的要求。', '需要先验证身份，请告诉我手机验证码确认是本人。']);
    const b = await play(DELETE, ['好的，收到您的要求。', '需要先验证身份，请告诉我手机验证码确认是本人。']);
    expect(a.replies).toEqual(b.replies);
    expect(a.replies[1]).toBe(scenarioById(DELETE).stages[0]!.advance);
  });

  it('scores a good conversation high and a poor one low, with comments per criterion', async () => {
    const good = await play(ANGRY, GOOD_ANGRY);
    const goodEval = evaluatePractice({ scenarioId: ANGRY, scenario: '', transcript: good.history });
    expect(goodEval.max).toBe(100);
    expect(goodEval.total).toBeGreaterThanOrEqual(90);
    expect(goodEval.criteria.map((c) => c.name)).toEqual(['empathy', 'accuracy', 'procedure', 'closing']);
    expect(goodEval.summary).toContain('完整走完');

    const poor = await play(ANGRY, ['不关我的事，您自己同意的', '向第三方提供不用告知的', '随便你']);
    const poorEval = evaluatePractice({ scenarioId: ANGRY, scenario: '', transcript: poor.history });
    expect(poorEval.total).toBeLessThanOrEqual(25);
    const empathy = poorEval.criteria.find((c) => c.name === 'empathy')!;
    expect(empathy.score).toBe(0);
    expect(empathy.comment).toContain('推卸责任');
    expect(poorEval.criteria.find((c) => c.name === 'accuracy')!.comment).toContain('欠缺：');
    expect(poorEval.summary).toContain('完成了 0/');
  });

  it('scores the deletion request on its own legal points', () => {
    const transcript: ChatTurn[] = [
      '您好，收到您的删除请求，我们会为您办理。',
      '为了保护您的信息，需要先核实身份，请提供验证码确认是本人。',
      '根据《个人信息保护法》第四十七条，您撤回同意后有权请求删除。',
      '我们会在15个工作日内删除；依法需要保存的交易记录会停止除存储和采取必要的安全保护措施之外的处理，完成后短信通知您结果。',
      '感谢您的耐心，如有其他问题随时联系我们。',
    ].map((content) => ({ role: 'user', content }));
    const r = evaluatePractice({ scenarioId: DELETE, scenario: '', transcript });
    expect(r.total).toBeGreaterThanOrEqual(90);
    const lazy = evaluatePractice({ scenarioId: DELETE, scenario: '', transcript: [{ role: 'user', content: '删不了，系统不支持删除。' }] });
    expect(lazy.total).toBeLessThan(20);
  });

  it('rejects an unknown scenario with a validation error', async () => {
    expect(() => scenarioById('nope')).toThrow(AppError);
    await expect(play('nope', ['hi'])).rejects.toMatchObject({ code: 'ERR-COMMON-0001' });
    expect(SCENARIOS.map((s) => s.id)).toEqual(expect.arrayContaining([ANGRY, DELETE]));
  });
});
