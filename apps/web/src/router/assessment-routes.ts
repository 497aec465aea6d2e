import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router';

/** Console pages for the question bank, AI generation, papers, exams, grading and AI settings (children of /admin). */

const queryString = (route: RouteLocationNormalized, key: string) => {
  const value = route.query[key];
  return typeof value === 'string' && value ? value : undefined;
};

export const assessmentRoutes: RouteRecordRaw[] = [
  {
    path: 'questions',
    name: 'admin-questions',
    component: () => import('@/pages/admin/questions/QuestionsPage.vue'),
    meta: { titleKey: 'assessment.route.questions', permission: 'questions.read' },
  },
  {
    path: 'questions/new',
    name: 'admin-question-new',
    component: () => import('@/pages/admin/questions/QuestionEditorPage.vue'),
    props: (route) => ({ bankId: queryString(route, 'bankId') }),
    meta: { titleKey: 'assessment.route.questionNew', permission: 'questions.write' },
  },
  {
    path: 'questions/import',
    name: 'admin-questions-import',
    component: () => import('@/pages/admin/questions-import/QuestionImportPage.vue'),
    props: (route) => ({ bankId: queryString(route, 'bankId') }),
    meta: { titleKey: 'assessment.route.questionImport', permission: 'questions.write' },
  },
  {
    path: 'questions/:id',
    name: 'admin-question',
    component: () => import('@/pages/admin/questions/QuestionEditorPage.vue'),
    props: true,
    meta: { titleKey: 'assessment.route.question', permission: 'questions.read' },
  },
  {
    path: 'generation',
    name: 'admin-generation',
    component: () => import('@/pages/admin/generation/GenerationPage.vue'),
    props: (route) => ({ bankId: queryString(route, 'bankId'), jobId: queryString(route, 'job') }),
    meta: { titleKey: 'assessment.route.generation', permission: 'ai.generate' },
  },
  {
    path: 'generation/review',
    name: 'admin-review',
    component: () => import('@/pages/admin/generation/ReviewQueuePage.vue'),
    meta: { titleKey: 'assessment.route.review', permission: 'ai.generate' },
  },
  {
    path: 'papers',
    name: 'admin-papers',
    component: () => import('@/pages/admin/papers/PapersPage.vue'),
    meta: { titleKey: 'assessment.route.papers', permission: 'exams.write' },
  },
  {
    path: 'papers/new',
    name: 'admin-paper-new',
    component: () => import('@/pages/admin/papers/PaperEditorPage.vue'),
    meta: { titleKey: 'assessment.route.paperNew', permission: 'exams.write' },
  },
  {
    path: 'papers/:id',
    name: 'admin-paper',
    component: () => import('@/pages/admin/papers/PaperEditorPage.vue'),
    props: true,
    meta: { titleKey: 'assessment.route.paper', permission: 'exams.write' },
  },
  {
    path: 'exams',
    name: 'admin-exams',
    component: () => import('@/pages/admin/exams/ExamsPage.vue'),
    meta: { titleKey: 'assessment.route.exams', permission: 'exams.read' },
  },
  {
    path: 'exams/new',
    name: 'admin-exam-new',
    component: () => import('@/pages/admin/exams/ExamFormPage.vue'),
    props: (route) => ({ paperId: queryString(route, 'paperId') }),
    meta: { titleKey: 'assessment.route.examNew', permission: 'exams.write' },
  },
  {
    path: 'exams/:id',
    name: 'admin-exam',
    component: () => import('@/pages/admin/exams/ExamDetailPage.vue'),
    props: true,
    meta: { titleKey: 'assessment.route.exam', permission: 'exams.read' },
  },
  {
    path: 'exams/:id/edit',
    name: 'admin-exam-edit',
    component: () => import('@/pages/admin/exams/ExamFormPage.vue'),
    props: true,
    meta: { titleKey: 'assessment.route.examEdit', permission: 'exams.write' },
  },
  {
    path: 'grading',
    name: 'admin-grading',
    component: () => import('@/pages/admin/grading/GradingPage.vue'),
    meta: { titleKey: 'assessment.route.grading', permission: 'grading.write' },
  },
  {
    path: 'ai-settings',
    name: 'admin-ai-settings',
    component: () => import('@/pages/admin/ai-settings/AiSettingsPage.vue'),
    meta: { titleKey: 'assessment.route.aiSettings', permission: 'ai.settings' },
  },
];
