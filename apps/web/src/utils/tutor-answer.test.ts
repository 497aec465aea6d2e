import { describe, expect, it } from 'vitest';
import { answerSegments, citationLabels, findParam, tutorHistory } from './tutor-answer';

describe('citationLabels', () => {
  it('numbers citations by the order their marks first appear', () => {
    expect(citationLabels('甲[1]乙[2]', 2)).toEqual([1, 2]);
    // A model citing passage 3 first: the first citation is [3].
    expect(citationLabels('见【3】，另见[1]，再见[3]', 2)).toEqual([3, 1]);
  });

  it('gives a citation that arrived before its mark the next free number', () => {
    expect(citationLabels('甲[2]', 2)).toEqual([2, 1]);
    expect(citationLabels('', 1)).toEqual([1]);
    expect(citationLabels('甲[1][2]', 1)).toEqual([1]);
  });
});

describe('answerSegments', () => {
  it('turns the marks of known citations into links and keeps the rest as text', () => {
    expect(answerSegments('应当取得单独同意[1]。\n另见[2]和[9]。', [1, 2])).toEqual([
      { kind: 'text', text: '应当取得单独同意' },
      { kind: 'mark', text: '[1]', label: 1, citation: 0 },
      { kind: 'text', text: '。\n另见' },
      { kind: 'mark', text: '[2]', label: 2, citation: 1 },
      { kind: 'text', text: '和[9]。' },
    ]);
    expect(answerSegments('见【3】', [3])).toEqual([
      { kind: 'text', text: '见' },
      { kind: 'mark', text: '【3】', label: 3, citation: 0 },
    ]);
    expect(answerSegments('无引用[1]', [])).toEqual([{ kind: 'text', text: '无引用[1]' }]);
  });
});

describe('tutorHistory', () => {
  const turn = (n: number, complete = true) => ({ question: `问${n}`, answer: `答${n}`, complete });

  it('sends the last complete exchanges, oldest first, as user/assistant turns', () => {
    const turns = [turn(1), turn(2), turn(3, false), turn(4), turn(5)];
    expect(tutorHistory(turns, 3)).toEqual([
      { role: 'user', content: '问2' },
      { role: 'assistant', content: '答2' },
      { role: 'user', content: '问4' },
      { role: 'assistant', content: '答4' },
      { role: 'user', content: '问5' },
      { role: 'assistant', content: '答5' },
    ]);
  });

  it('skips empty answers and keeps each message within the server limit', () => {
    const long = '长'.repeat(5000);
    expect(tutorHistory([{ question: '问', answer: '  ', complete: true }])).toEqual([]);
    const [, answer] = tutorHistory([{ question: '问', answer: long, complete: true }]);
    expect(answer!.content).toHaveLength(4000);
  });
});

describe('findParam', () => {
  it('takes the start of the quote on one line', () => {
    expect(findParam('\n  处理敏感个人信息应当取得个人的单独同意；\n法律、行政法规规定处理敏感个人信息应当取得书面同意的，从其规定。')).toBe(
      '处理敏感个人信息应当取得个人的单独同意； 法律、行政法规规定',
    );
  });
});
