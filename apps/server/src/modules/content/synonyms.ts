/**
 * A small thesaurus for compliance training: the everyday words learners use for what statutes
 * and policies call something else (去世 → 死亡, 家属 → 近亲属, 罚 → 罚款, 摄像头 → 图像采集,
 * 外国 → 境外, 删掉 → 删除 …). Applied to queries only, in one direction: an everyday word also
 * searches the statutory terms of its entry (at a lower weight, and the word with its expansions
 * counts as one matched term); a statutory term searches the other statutory terms of its entry.
 * Statutory words do not expand into everyday ones, which would pull in unrelated uses.
 * Every word is a token `tokenize` produces (a test checks it), so each entry can match.
 */
export const THESAURUS: readonly { statutory: readonly string[]; everyday: readonly string[] }[] = [
  { statutory: ['死亡'], everyday: ['去世', '过世', '离世', '身故', '逝世'] },
  { statutory: ['近亲属'], everyday: ['家属', '家人', '亲属', '亲人'] },
  { statutory: ['罚款'], everyday: ['罚', '罚金', '罚钱'] },
  { statutory: ['删除'], everyday: ['删掉', '删', '清除'] },
  { statutory: ['境外'], everyday: ['国外', '海外', '外国', '出境', '跨境'] },
  { statutory: ['境内', '中华人民共和国'], everyday: ['国内', '中国', '我国'] },
  { statutory: ['图像采集'], everyday: ['摄像头', '摄像机', '监控', '拍照', '拍摄', '录像'] },
  { statutory: ['身份识别', '生物识别'], everyday: ['人脸识别', '刷脸', '人脸', '指纹', '虹膜'] },
  { statutory: ['公共场所'], everyday: ['商场', '超市', '车站', '机场', '街道', '小区'] },
  { statutory: ['未成年人'], everyday: ['小孩', '儿童', '孩子', '未成年'] },
  { statutory: ['不满'], everyday: ['未满', '不到'] },
  { statutory: ['监护人', '父母'], everyday: ['家长'] },
  { statutory: ['同意'], everyday: ['允许', '答应'] },
  { statutory: ['撤回'], everyday: ['撤销', '收回', '取消'] },
  { statutory: ['告知'], everyday: ['告诉'] },
  { statutory: ['个人信息'], everyday: ['个人数据', '个人资料', '用户数据', '用户信息', '客户信息', '隐私'] },
  { statutory: ['泄露'], everyday: ['泄漏', '外泄'] },
  { statutory: ['查阅'], everyday: ['查看', '查询', '调阅'] },
  { statutory: ['复制'], everyday: ['拷贝', '下载', '导出'] },
  { statutory: ['更正'], everyday: ['修改', '纠正', '改正'] },
  { statutory: ['委托'], everyday: ['外包', '代为'] },
  { statutory: ['受托人'], everyday: ['外包方', '服务商', '供应商', '承包商'] },
  { statutory: ['自动化决策'], everyday: ['算法', '大数据', '个性化推荐', '精准营销', '用户画像'] },
  { statutory: ['差别待遇'], everyday: ['区别对待', '杀熟'] },
  { statutory: ['价格'], everyday: ['定价', '价钱', '收费'] },
  { statutory: ['期限'], everyday: ['多久', '多长时间'] },
  { statutory: ['施行'], everyday: ['实施', '生效'] },
  { statutory: ['个人信息保护负责人'], everyday: ['数据保护官', 'dpo'] },
  { statutory: ['违法', '违反'], everyday: ['违规'] },
  { statutory: ['赔偿'], everyday: ['赔钱', '索赔'] },
  { statutory: ['诉讼', '人民法院'], everyday: ['起诉', '打官司', '法院'] },
  { statutory: ['投诉', '举报'], everyday: ['反映'] },
  { statutory: ['联系方式'], everyday: ['手机号', '手机号码', '电话号码', '电话'] },
  { statutory: ['行踪轨迹'], everyday: ['位置', '定位', '轨迹'] },
  { statutory: ['金融账户'], everyday: ['银行卡', '账户', '账号'] },
  { statutory: ['医疗健康'], everyday: ['病历', '健康', '体检', '病情'] },
  { statutory: ['国家网信部门', '网信部门'], everyday: ['网信办'] },
  { statutory: ['含义'], everyday: ['意思', '定义', '概念'] },
  { statutory: ['转移'], everyday: ['迁移', '转给'] },
  { statutory: ['推送', '营销'], everyday: ['广告', '推销'] },
  { statutory: ['匿名化'], everyday: ['匿名'] },
  { statutory: ['去标识化'], everyday: ['脱敏'] },
  { statutory: ['合规审计'], everyday: ['合规检查'] },
  { statutory: ['应用程序'], everyday: ['app', '软件'] },
  { statutory: ['定期'], everyday: ['每年', '周期性'] },
  { statutory: ['监督管理', '监督'], everyday: ['监管'] },
  { statutory: ['共同'], everyday: ['联合', '一起'] },
];

/** Weight of an expansion relative to the word the learner typed. */
export const SYNONYM_WEIGHT = 0.7;

let byWord: Map<string, readonly string[]> | undefined;

/** The terms a query word also searches (empty for most words). */
export function synonymsOf(term: string): readonly string[] {
  if (!byWord) {
    const map = new Map<string, Set<string>>();
    const add = (word: string, targets: readonly string[]) => {
      let set = map.get(word);
      if (!set) map.set(word, (set = new Set()));
      for (const t of targets) if (t !== word) set.add(t);
    };
    for (const { statutory, everyday } of THESAURUS) {
      for (const w of everyday) add(w, statutory);
      for (const w of statutory) add(w, statutory);
    }
    byWord = new Map([...map].filter(([, s]) => s.size).map(([w, s]) => [w, [...s]]));
  }
  return byWord.get(term) ?? [];
}
