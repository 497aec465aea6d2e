import en from './en';
import zhCN from './zh-CN';

/** Every locale's console texts in one chunk: switching language in the console needs no further download. */
export const consoleMessages = { 'zh-CN': zhCN, en };
