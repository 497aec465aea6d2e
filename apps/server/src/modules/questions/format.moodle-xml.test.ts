import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { normaliseContent } from './content.js';
import { parseMoodleXml } from './format.moodle-xml.js';

const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'pipl.moodle.xml'), 'utf8');
const base = { explanation: '', difficulty: 3, knowledgePoints: [], source: null };

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('Moodle XML import of the sample file', () => {
  const { items } = parseMoodleXml(fixture);

  it('reads every supported type exactly, categories becoming tags', () => {
    const valid = items.filter((i) => i.errors.length === 0);
    expect(valid.map((i) => i.ref.name)).toEqual(['PIPL-X01 合法性基础', 'PIPL-X02 单独同意', 'PIPL-X03 共同处理', 'PIPL-X04 保存期限', 'PIPL-X05 个人权利（完形填空）', 'PIPL-X07 跨境提供']);
    expect(
      valid.map((i) => {
        const n = normaliseContent(i.content);
        if (!n.ok) throw new Error(JSON.stringify(n.problems));
        return n.content;
      }),
    ).toEqual([
      {
        ...base,
        type: 'single',
        stem: '<p>下列哪一项<strong>不属于</strong>《个人信息保护法》第十三条规定的、可以不经个人同意处理个人信息的情形？</p>',
        options: [
          { key: 'A', text: '为订立、履行个人作为一方当事人的合同所必需' },
          { key: 'B', text: '为履行法定职责或者法定义务所必需' },
          { key: 'C', text: '为了向客户进行精准营销' },
          { key: 'D', text: '为应对突发公共卫生事件所必需' },
        ],
        correct: ['C'],
        explanation: '<p>第十三条列举了订立、履行合同所必需，履行法定职责或者法定义务所必需等情形；“为了精准营销”不在其中。</p>',
        tags: ['合法性基础', '个人信息处理规则'],
      },
      {
        ...base,
        type: 'multiple',
        // plain_text: the entity-escaped <单独同意> stays visible text, never a tag.
        stem: '以下哪些情形需要取得个人的"单独同意"？（多选，注意 &lt;单独同意&gt; 与一般同意的区别）',
        options: [
          { key: 'A', text: '向其他个人信息处理者提供个人信息' },
          { key: 'B', text: '处理敏感个人信息' },
          { key: 'C', text: '向境外提供个人信息' },
          { key: 'D', text: '在合理范围内处理个人自行公开的信息' },
        ],
        correct: ['A', 'B', 'C'],
        explanation: '第二十三条、第二十五条、第二十九条、第三十九条。',
        tags: ['个人信息处理规则'],
      },
      {
        ...base,
        type: 'true_false',
        stem: '两个以上个人信息处理者共同处理个人信息，侵害个人信息权益造成损害的，应当依法承担连带责任。',
        correct: true,
        explanation: '第二十条第二款。',
        tags: ['个人信息处理规则'],
      },
      {
        ...base,
        type: 'fill_blank',
        stem: '<p>除法律、行政法规另有规定外，个人信息的保存期限应当为实现处理目的所必要的什么时间？____</p>',
        blanks: [{ accepted: ['最短时间', '最短'] }],
        ordered: true,
        explanation: '第十九条。',
        tags: ['个人的权利'],
      },
      {
        ...base,
        type: 'fill_blank',
        stem: '<p>个人有权向个人信息处理者____、____其个人信息；发现个人信息不准确的，有权请求____、补充。</p>',
        blanks: [{ accepted: ['查阅', '查看'] }, { accepted: ['复制'] }, { accepted: ['更正'] }],
        ordered: true,
        explanation: '第四十五条、第四十六条。',
        tags: ['个人的权利'],
      },
      {
        ...base,
        type: 'short_answer',
        stem: '<p>公司因业务需要，确需向境外提供客户个人信息。请说明应当具备的条件。</p>',
        referenceAnswer:
          '<p>具备下列条件之一：通过国家网信部门组织的安全评估；经专业机构进行个人信息保护认证；按照国家网信部门制定的标准合同与境外接收方订立合同；法律、行政法规或者国家网信部门规定的其他条件。</p>',
        rubric: [
          {
            point: '具备下列条件之一：通过国家网信部门组织的安全评估；经专业机构进行个人信息保护认证；按照国家网信部门制定的标准合同与境外接收方订立合同；法律、行政法规或者国家网信部门规定的其他条件。',
            weight: 1,
            keywords: [],
          },
        ],
        explanation: '第三十八条。',
        tags: ['个人的权利'],
      },
    ]);
    expect(valid.map((i) => i.defaultPoints)).toEqual([2, 3, 1, 2, 3, 10]);
  });

  it('says what it did not keep', () => {
    expect(items[0]!.warnings).toEqual([{ message: 'answer feedback is not kept' }]);
    expect(items[4]!.warnings).toEqual([{ message: 'answers with partial credit are not kept' }, { message: 'answer feedback is not kept' }]);
    expect(items[6]!.warnings).toEqual([{ message: 'no rubric given: one rubric point (the reference answer, weight 1) was made' }]);
  });

  it('reports unsupported types and Cloze subquestions per question, with index and name', () => {
    expect(items.filter((i) => i.errors.length).map((i) => ({ ...i.ref, errors: i.errors, content: i.content }))).toEqual([
      { index: 6, name: 'PIPL-X06 含选择子题的完形填空', content: null, errors: [{ message: 'the Cloze subquestion {1:MULTICHOICE:…} is not supported (only SHORTANSWER)' }] },
      { index: 8, name: 'PIPL-X08 条款匹配', content: null, errors: [{ message: 'the question type "matching" is not supported' }] },
      { index: 9, name: 'PIPL-X09 未成年人年龄', content: null, errors: [{ message: 'the question type "numerical" is not supported' }] },
      { index: 10, name: 'PIPL-X10 说明', content: null, errors: [{ message: 'the question type "description" is not supported' }] },
      { index: 11, name: 'PIPL-X11 拖放填空', content: null, errors: [{ message: 'the question type "ddwtos" is not supported' }] },
    ]);
  });
});

describe('Moodle XML details', () => {
  const wrap = (q: string) => `<?xml version="1.0"?><quiz>${q}</quiz>`;

  it('decodes entities and character references once, and keeps CDATA as written', () => {
    const { items } = parseMoodleXml(
      wrap(
        '<question type="truefalse"><name><text>R&amp;D</text></name><questiontext format="html"><text>&lt;b&gt;&#20013;&#x6587;&lt;/b&gt; &amp;amp;<![CDATA[ <i>&amp;</i>]]></text></questiontext>' +
          '<answer fraction="100"><text>false</text></answer><answer fraction="0"><text>true</text></answer></question>',
      ),
    );
    expect(items[0]!.ref.name).toBe('R&D');
    expect(items[0]!.content).toMatchObject({ type: 'true_false', stem: '<b>中文</b> &amp; <i>&amp;</i>', correct: false });
  });

  it('reports a single-answer question without exactly one full answer and an essay without grader information', () => {
    const { items } = parseMoodleXml(
      wrap(
        '<question type="multichoice"><name><text>两个满分</text></name><questiontext><text>题</text></questiontext><single>true</single>' +
          '<answer fraction="100"><text>甲</text></answer><answer fraction="100"><text>乙</text></answer></question>' +
          '<question type="essay"><name><text>无参考答案</text></name><questiontext><text>论述</text></questiontext></question>',
      ),
    );
    expect(items.map((i) => i.errors)).toEqual([
      [{ message: 'a single-answer question needs exactly one answer with fraction 100 (found 2)' }],
      [{ message: 'an essay needs grader information (graderinfo): it becomes the reference answer' }],
    ]);
  });

  it('answers ERR-QUESTION-0004 for XML that is not well formed', () => {
    const err = thrown(() => parseMoodleXml('<quiz><question type="truefalse"><name><text>坏</text></name></quiz>'));
    expect(err.code).toBe('ERR-QUESTION-0004');
    expect(err.message).toMatch(/^The XML is not well formed \(line 1\)/);
  });

  it('refuses DOCTYPE and entity declarations (XXE, billion laughs) before parsing', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz><question type="truefalse"><questiontext><text>&x;</text></questiontext></question></quiz>';
    expect(thrown(() => parseMoodleXml(xxe)).code).toBe('ERR-QUESTION-0004');
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><quiz/>';
    expect(thrown(() => parseMoodleXml(laughs)).message).toBe('DOCTYPE and entity declarations are not allowed in Moodle XML files.');
  });

  it('refuses a well-formed file that is not a quiz', () => {
    expect(thrown(() => parseMoodleXml('<html><body>hi</body></html>')).message).toBe('This is not a Moodle XML question file: the root element must be <quiz>.');
  });

  it('reads an empty quiz as no questions', () => {
    expect(parseMoodleXml('<quiz></quiz>').items).toEqual([]);
  });
});
