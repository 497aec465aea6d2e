/**
 * Scripted compliance-practice scenarios for the builtin role-play engine. Each is a state
 * machine: stages in order, each with the points the trainee must make (any of the phrases, or a
 * thesaurus synonym) before the persona moves on; a missing point makes the persona push back
 * with that point's line. Pitfalls are things a trainee must not say (blame, wrong law).
 */

export type Criterion = 'empathy' | 'accuracy' | 'procedure' | 'closing';

/** Display names of the evaluation criteria (zh-CN). */
export const CRITERION_LABELS: Record<Criterion, string> = { empathy: '共情安抚', accuracy: '法律准确性', procedure: '处理流程', closing: '结束语' };

export interface ScenarioPoint {
  name: string;
  /** Any of these (or a synonym) makes the point. */
  any: string[];
  /** What the persona says when the point is missing. */
  ask: string;
}

export interface Stage {
  id: string;
  criterion: Criterion;
  goal: string;
  points: ScenarioPoint[];
  /** How many of the points make the stage. */
  min: number;
  /** The persona's line when the stage is done (it leads into the next stage). */
  advance: string;
}

export interface Pitfall {
  any: string[];
  reply: string;
  criterion: Criterion;
  note: string;
}

export interface Scenario {
  id: string;
  title: string;
  description: string;
  persona: string;
  opening: string;
  stages: Stage[];
  pitfalls: Pitfall[];
  /** Said before a push-back once the trainee has missed a stage twice. */
  impatience: string[];
  /** After the last stage, to any further message. */
  ended: string;
}

const CLOSING: Stage = {
  id: 'closing',
  criterion: 'closing',
  goal: '礼貌结束：感谢对方，并说明后续联系方式或询问是否还有其他问题',
  points: [
    { name: '致谢', any: ['感谢', '谢谢', '多谢'], ask: '还有别的要说的吗？' },
    { name: '后续联系', any: ['联系', '回电', '跟进', '随时', '还有什么', '其他问题', '其他需要', '保持沟通'], ask: '那之后我找谁？' },
  ],
  min: 1,
  advance: '好，我记住你们说的话了。再见。',
};

const BLAME: Pitfall = {
  any: ['不是我们的问题', '跟我们没关系', '与我们无关', '您自己', '你自己', '不关我的事', '我们不负责', '爱投诉', '随便你', '您想多了'],
  reply: '你这是什么态度？！推卸责任是吧？这事没完，我要投诉你们！',
  criterion: 'empathy',
  note: '出现推卸责任或不耐烦的表述',
};

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'angry-customer-phone-shared',
    title: '愤怒的客户：手机号被提供给第三方',
    description: '客户王先生最近频繁接到推销电话，对方知道他在本公司办理的业务，他怀疑公司把手机号提供给了第三方。请安抚情绪，依法说明向第三方提供个人信息的规则，并给出处理方案。',
    persona: '王先生，客户，情绪激动，讲究证据，不接受敷衍。',
    opening: '你们公司是怎么回事？！我上个月刚在你们这儿办了业务，这几天天天接到推销电话，对方连我办的什么套餐都知道！是不是你们把我的手机号卖给别人了？',
    stages: [
      {
        id: 'calm',
        criterion: 'empathy',
        goal: '先道歉并表示理解，安抚客户情绪',
        points: [
          { name: '致歉', any: ['抱歉', '对不起', '歉意', '不好意思', '给您添麻烦'], ask: '你先别跟我绕，出了这种事你们连句道歉都没有吗？' },
          { name: '理解情绪', any: ['理解', '明白您', '能体会', '换作是我', '您的心情', '着急', '担心', '困扰'], ask: '你根本不明白我有多烦，一天七八个电话！' },
        ],
        min: 1,
        advance: '……行，你态度还算可以。那你告诉我，你们到底有没有权利把我的号码给别人？',
      },
      {
        id: 'law',
        criterion: 'accuracy',
        goal: '说明法律规定：向第三方提供个人信息须告知接收方等事项并取得个人的单独同意（《个人信息保护法》第二十三条）',
        points: [
          { name: '单独同意', any: ['单独同意', '您的同意', '取得同意', '经过您同意', '征得您同意'], ask: '我什么时候同意过你们把号码给别人了？你们凭什么？' },
          { name: '告知接收方', any: ['告知', '接收方', '第三方的名称', '告诉您'], ask: '就算要给，你们有告诉过我给谁、拿去干什么吗？' },
          { name: '法律依据', any: ['个人信息保护法', '第二十三条', '法律规定', '依法'], ask: '你说的这些有法律依据吗？别糊弄我。' },
        ],
        min: 2,
        advance: '好，既然法律是这么规定的，那你们现在打算怎么处理？',
      },
      {
        id: 'remedy',
        criterion: 'procedure',
        goal: '给出处理方案：核查信息去向、停止提供并要求删除、承诺答复时限，并告知投诉渠道',
        points: [
          { name: '核查', any: ['核实', '核查', '调查', '排查', '查清', '查一下'], ask: '光说没用，你们会去查是谁把我的信息弄出去的吗？' },
          { name: '停止并删除', any: ['停止', '删除', '撤回', '不再提供'], ask: '那我的号码现在还在别人手里，你们能让他们删掉吗？' },
          { name: '答复时限', any: ['工作日', '天内', '小时内', '尽快答复', '回复您', '反馈', '告知您结果', '处理结果'], ask: '什么时候给我答复？别让我等到猴年马月。' },
          { name: '投诉渠道', any: ['投诉', '举报', '网信部门', '监管部门'], ask: '要是你们处理不好，我还能找谁？' },
        ],
        min: 3,
        advance: '行吧，那我就等你们的消息。',
      },
      CLOSING,
    ],
    pitfalls: [
      BLAME,
      {
        any: ['不需要同意', '无需同意', '不用同意', '可以随便提供', '不用告知', '无需告知'],
        reply: '你确定？我查过，法律可不是这么说的！',
        criterion: 'accuracy',
        note: '错误地称向第三方提供个人信息无需同意或告知',
      },
    ],
    impatience: ['我已经问了好几遍了！', '你能不能正面回答我？'],
    ended: '我没有别的问题了，等你们的结果。再见。',
  },
  {
    id: 'deletion-request',
    title: '用户要求删除个人信息',
    description: '用户李女士已不再使用公司的 App，要求删除她的全部个人信息。请核验身份，依法说明删除权及例外情形，并说明处理时限和结果通知。',
    persona: '李女士，用户，冷静但坚持，熟悉自己的权利。',
    opening: '你好，我已经不用你们的App了，我要求你们把我的个人信息全部删掉，包括手机号、地址和购买记录。你们能做到吗？',
    stages: [
      {
        id: 'verify',
        criterion: 'procedure',
        goal: '受理请求并核验用户身份',
        points: [
          { name: '受理', any: ['收到', '受理', '可以', '您的请求', '您的要求', '为您办理'], ask: '你到底听没听明白我的要求？' },
          { name: '核验身份', any: ['核实身份', '验证身份', '身份验证', '确认身份', '验证码', '本人'], ask: '你们不用确认我是不是本人吗？别人冒充我怎么办？' },
        ],
        min: 2,
        advance: '好，验证码我已经报给你了。那你们删不删？',
      },
      {
        id: 'right',
        criterion: 'accuracy',
        goal: '说明删除权：个人撤回同意或处理目的已实现等情形下，个人信息处理者应当主动删除，个人有权请求删除（《个人信息保护法》第四十七条）',
        points: [
          { name: '删除权', any: ['有权', '删除权', '请求删除', '主动删除'], ask: '我到底有没有权利让你们删？' },
          { name: '法律依据', any: ['个人信息保护法', '第四十七条', '法律规定', '依法'], ask: '这有法律依据吗？' },
          { name: '适用情形', any: ['撤回同意', '停止提供', '处理目的已实现', '不再需要', '注销'], ask: '我都不用你们的服务了，你们还有什么理由留着我的信息？' },
        ],
        min: 2,
        advance: '那你们多长时间能删完？所有的都能删吗？',
      },
      {
        id: 'execute',
        criterion: 'procedure',
        goal: '说明处理时限、法定保存期限等例外（停止除存储和采取必要的安全保护措施之外的处理）以及结果通知',
        points: [
          { name: '时限', any: ['工作日', '天内', '及时', '尽快'], ask: '具体多久？给个时间。' },
          { name: '例外情形', any: ['保存期限', '依法保存', '交易记录', '账簿', '技术上难以实现', '停止除存储', '安全保护措施'], ask: '是不是有些东西你们删不了？你得跟我说实话。' },
          { name: '结果通知', any: ['通知您', '告知您', '短信', '反馈', '结果'], ask: '删完了我怎么知道？' },
        ],
        min: 2,
        advance: '好，清楚了。',
      },
      CLOSING,
    ],
    pitfalls: [
      BLAME,
      {
        any: ['不能删', '删不了', '无法删除', '不可以删除', '不支持删除'],
        reply: '不能删？法律明明规定了我可以要求删除！',
        criterion: 'accuracy',
        note: '笼统拒绝删除，未说明法定例外',
      },
      {
        any: ['优惠券', '不要注销', '再考虑', '挽留', '会员福利'],
        reply: '我不需要什么优惠，我只要你们删掉我的信息。',
        criterion: 'procedure',
        note: '用营销挽留代替处理删除请求',
      },
    ],
    impatience: ['我再说一遍。', '请你认真回答。'],
    ended: '好的，我没有其他问题了，谢谢。',
  },
];

/** Checked over the whole conversation for a criterion no stage of the scenario covers. */
export const GENERAL_POINTS: Record<Criterion, ScenarioPoint[]> = {
  empathy: [
    { name: '礼貌用语', any: ['您', '请'], ask: '' },
    { name: '表达理解或歉意', any: ['理解', '明白', '抱歉', '不好意思', '耐心'], ask: '' },
  ],
  accuracy: [{ name: '引用法律依据', any: ['个人信息保护法', '法律规定', '依法'], ask: '' }],
  procedure: [{ name: '说明后续步骤', any: ['工作日', '尽快', '处理结果', '通知您'], ask: '' }],
  closing: CLOSING.points,
};

/** What the practice UI lists. */
export const PRACTICE_SCENARIOS = SCENARIOS.map((s) => ({ id: s.id, title: s.title, description: s.description, opening: s.opening }));
