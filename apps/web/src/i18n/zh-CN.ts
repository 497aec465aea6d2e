/**
 * Simplified Chinese, the default locale and the source of truth for message keys:
 * every other locale is typed against this object.
 */
const zhCN = {
  app: {
    name: '考培练',
    tagline: '企业培训、考试与练习，一站完成',
    skipToContent: '跳到主要内容',
  },
  locale: {
    switch: '切换语言',
  },
  nav: {
    home: '首页',
    adminConsole: '管理控制台',
    learnerPortal: '学员端',
    dashboard: '控制台',
    openMenu: '打开导航菜单',
    mainNavigation: '主导航',
    adminNavigation: '管理导航',
    collapseSidebar: '收起侧边栏',
    expandSidebar: '展开侧边栏',
  },
  user: {
    menu: '用户菜单',
    logout: '退出登录',
    loggedOut: '已退出登录',
    sessionExpired: '登录已过期，请重新登录',
  },
  roles: {
    admin: '管理员',
    manager: '经理',
    instructor: '讲师',
    learner: '学员',
  },
  route: {
    login: '登录',
    home: '首页',
    dashboard: '控制台',
    forbidden: '无权访问',
    notFound: '页面不存在',
  },
  login: {
    title: '登录',
    subtitle: '欢迎使用考培练，请登录你的账号',
    username: '账号',
    usernamePlaceholder: '用户名 / 工号 / 邮箱',
    usernameRequired: '请输入用户名、工号或邮箱',
    password: '密码',
    passwordPlaceholder: '请输入密码',
    passwordRequired: '请输入密码',
    submit: '登录',
    submitting: '登录中…',
    invalidCredentials: '用户名或密码错误',
    failed: '登录失败',
  },
  home: {
    greeting: '欢迎回来，{name}',
    profile: '我的账号',
    displayName: '姓名',
    username: '用户名',
    role: '角色',
  },
  admin: {
    title: '控制台',
    resources: '运维与开发',
    apiDocs: 'API 文档',
    apiDocsHint: '接口说明与在线调试（OpenAPI）',
    metrics: '监控指标',
    metricsHint: 'Prometheus 格式的运行指标',
    opensInNewTab: '（在新标签页中打开）',
  },
  status: {
    title: '系统状态',
    refresh: '刷新',
    retry: '重试',
    components: '系统组件',
    updatedAt: '更新于 {time}',
    latency: '{ms} 毫秒',
    overall: {
      ready: '运行正常',
      unavailable: '部分不可用',
    },
    component: {
      up: '正常',
      degraded: '降级',
      down: '故障',
    },
    names: {
      database: '数据库',
      queue: '任务队列',
      disk: '磁盘空间',
      redis: 'Redis 缓存',
      process: '服务进程',
    },
  },
  errors: {
    'ERR-COMMON-0001': '请求参数不正确',
    'ERR-COMMON-0002': '请求内容不是有效的 JSON',
    'ERR-COMMON-0003': '不支持该内容类型',
    'ERR-COMMON-0004': '请求内容过大',
    'ERR-COMMON-0005': '请求的资源不存在',
    'ERR-COMMON-0006': '请求过于频繁，请稍后再试',
    'ERR-COMMON-0007': '服务器开小差了，请稍后再试',
    'ERR-COMMON-0008': '服务正在关闭或尚未就绪',
    'ERR-COMMON-0009': '不允许此操作方法',
    'ERR-COMMON-0010': '请求与当前数据状态冲突',
    'ERR-AUTH-0001': '请先登录',
    'ERR-AUTH-0002': '你没有执行此操作的权限',
    NETWORK: '网络连接失败，请检查网络后重试',
    BAD_RESPONSE: '服务器返回了无法识别的响应，请稍后再试',
  },
  forbidden: {
    title: '403',
    description: '抱歉，你没有权限访问此页面',
  },
  notFound: {
    title: '404',
    description: '抱歉，你访问的页面不存在',
  },
  common: {
    backHome: '返回首页',
  },
};

export default zhCN;
export type MessageSchema = typeof zhCN;
