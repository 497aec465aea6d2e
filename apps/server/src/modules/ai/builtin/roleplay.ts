/**
 * Role-play on a scripted scenario. The state is derived from the history every turn (no server
 * state): the trainee's messages are replayed through the scenario's stages; points made in
 * earlier messages of a stage count. A pitfall (blame, wrong law) makes the persona object and
 * holds the stage; otherwise the stage advances once enough of its points are made, else the
 * persona asks for the first missing one.
 */
import { AppError } from '../../../platform/errors.js';
import type { CallOptions, ChatTurn, EvaluatePracticeInput, PracticeEvaluation, RolePlayTurnInput, StreamEvent } from '../capabilities.js';
import { findKeyword, prepare, type PreparedText } from './matcher.js';
import { CRITERION_LABELS, GENERAL_POINTS, SCENARIOS, type Criterion, type Pitfall, type Scenario, type ScenarioPoint } from './scenarios.js';
import { streamParts } from './stream.js';

export function scenarioById(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new AppError('ERR-COMMON-0001', `The builtin engine has no practice scenario "${id}".`, { scenarioId: id, known: SCENARIOS.map((x) => x.id) });
  return s;
}

const makes = (text: PreparedText, point: ScenarioPoint) => point.any.some((p) => findKeyword(text, p, { partial: false }));

export interface TurnOutcome {
  kind: 'advance' | 'pushback' | 'pitfall' | 'ended';
  reply: string;
  /** Stage index after this message. */
  stage: number;
  pitfall?: Pitfall;
}

export interface Replay {
  scenario: Scenario;
  /** Index of the current stage (stages.length when the scenario is finished). */
  stage: number;
  /** Points made, per stage id. */
  made: Map<string, Set<string>>;
  pitfalls: Pitfall[];
  outcomes: TurnOutcome[];
}

/** Runs the trainee's messages through the scenario. */
export function replay(scenario: Scenario, messages: string[]): Replay {
  const r: Replay = { scenario, stage: 0, made: new Map(scenario.stages.map((s) => [s.id, new Set<string>()])), pitfalls: [], outcomes: [] };
  const misses = new Map<string, number>();
  for (const message of messages) {
    const text = prepare(message);
    if (r.stage >= scenario.stages.length) {
      r.outcomes.push({ kind: 'ended', reply: scenario.ended, stage: r.stage });
      continue;
    }
    const pitfall = scenario.pitfalls.find((p) => p.any.some((w) => findKeyword(text, w, { partial: false })));
    if (pitfall) {
      r.pitfalls.push(pitfall);
      r.outcomes.push({ kind: 'pitfall', reply: pitfall.reply, stage: r.stage, pitfall });
      continue;
    }
    const stage = scenario.stages[r.stage]!;
    const made = r.made.get(stage.id)!;
    // Points of later stages made early still count when the persona gets there.
    for (const s of scenario.stages.slice(r.stage)) for (const p of s.points) if (makes(text, p)) r.made.get(s.id)!.add(p.name);
    if (made.size >= stage.min) {
      r.stage++;
      r.outcomes.push({ kind: 'advance', reply: stage.advance, stage: r.stage });
      continue;
    }
    const missed = misses.get(stage.id) ?? 0;
    misses.set(stage.id, missed + 1);
    const open = stage.points.filter((p) => !made.has(p.name));
    const ask = open[missed % open.length]!.ask;
    const impatience = missed >= 1 ? `${scenario.impatience[(missed - 1) % scenario.impatience.length]}` : '';
    r.outcomes.push({ kind: 'pushback', reply: `${impatience}${ask}`, stage: r.stage });
  }
  return r;
}

const traineeMessages = (turns: ChatTurn[]) => turns.filter((t) => t.role === 'user').map((t) => t.content);

export async function* rolePlayTurn(input: RolePlayTurnInput, options: CallOptions = {}): AsyncGenerator<StreamEvent> {
  const scenario = scenarioById(input.scenarioId);
  const r = replay(scenario, [...traineeMessages(input.history), input.message]);
  const prompt = [scenario.description, ...input.history.map((h) => h.content), input.message].join('\n');
  yield* streamParts([r.outcomes.at(-1)!.reply], prompt, options);
}

const MAX_PER_CRITERION = 25;
const PITFALL_PENALTY = 8;

export function evaluatePractice(input: EvaluatePracticeInput): PracticeEvaluation {
  const scenario = scenarioById(input.scenarioId);
  const messages = traineeMessages(input.transcript);
  const r = replay(scenario, messages);
  const criteria = (Object.keys(CRITERION_LABELS) as Criterion[]).map((criterion) => {
    const stages = scenario.stages.filter((s) => s.criterion === criterion);
    let points = stages.flatMap((s) => s.points.map((p) => ({ name: p.name, made: r.made.get(s.id)!.has(p.name) })));
    // No stage for this criterion (no apology stage in a calm request): judge the whole conversation.
    if (!points.length) points = GENERAL_POINTS[criterion].map((p) => ({ name: p.name, made: messages.some((m) => makes(prepare(m), p)) }));
    const made = points.filter((p) => p.made);
    const missed = points.filter((p) => !p.made);
    const slips = r.pitfalls.filter((p) => p.criterion === criterion);
    const base = points.length ? (MAX_PER_CRITERION * made.length) / points.length : 0;
    const score = Math.max(0, Math.round(base - PITFALL_PENALTY * slips.length));
    const comment = [
      made.length ? `做到：${made.map((p) => p.name).join('、')}` : '未做到本项要求',
      missed.length ? `欠缺：${missed.map((p) => p.name).join('、')}` : '',
      ...[...new Set(slips.map((p) => p.note))],
    ]
      .filter(Boolean)
      .join('；');
    return { name: criterion, score, max: MAX_PER_CRITERION, comment: `${CRITERION_LABELS[criterion]}：${comment}。` };
  });
  const total = criteria.reduce((a, c) => a + c.score, 0);
  const max = criteria.length * MAX_PER_CRITERION;
  const stagesDone = Math.min(r.stage, scenario.stages.length);
  const weakest = [...criteria].sort((a, b) => a.score / a.max - b.score / b.max)[0]!;
  const summary = [
    `总分 ${total}/${max}。`,
    stagesDone === scenario.stages.length ? '完整走完了全部处理环节。' : `完成了 ${stagesDone}/${scenario.stages.length} 个环节，停在「${scenario.stages[stagesDone]!.goal}」。`,
    weakest.score < weakest.max ? `最需要加强的是${CRITERION_LABELS[weakest.name as Criterion]}。` : '',
  ].join('');
  return { criteria, total, max, summary };
}
