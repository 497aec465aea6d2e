import type { Permission } from '@kpl/shared';
import { Cpu, EditPen, Files, MagicStick, Memo, Tickets } from '@element-plus/icons-vue';
import type { Component } from 'vue';

/** Console menu entries for assessment; each shows only to users granted its permission (as its route checks). */
export const ASSESSMENT_MENU: readonly { path: string; labelKey: string; icon: Component; permission: Permission }[] = [
  { path: '/admin/questions', labelKey: 'assessment.nav.questions', icon: Files, permission: 'questions.read' },
  { path: '/admin/generation', labelKey: 'assessment.nav.generation', icon: MagicStick, permission: 'ai.generate' },
  { path: '/admin/papers', labelKey: 'assessment.nav.papers', icon: Tickets, permission: 'exams.write' },
  { path: '/admin/exams', labelKey: 'assessment.nav.exams', icon: Memo, permission: 'exams.read' },
  { path: '/admin/grading', labelKey: 'assessment.nav.grading', icon: EditPen, permission: 'grading.write' },
  { path: '/admin/ai-settings', labelKey: 'assessment.nav.aiSettings', icon: Cpu, permission: 'ai.settings' },
];

