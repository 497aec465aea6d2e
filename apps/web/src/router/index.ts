import type { Permission, Role } from '@kpl/shared';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { loadConsoleMessages } from '@/i18n';
import { COURSE_CONSOLE_PERMISSIONS, STAFF_ROLES } from '@/stores/session';
import { assessmentRoutes } from './assessment-routes';
import { installGuards } from './guards';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Only these roles may enter (inherited by child routes). */
    roles?: readonly Role[];
    /** Only users granted this permission may enter. */
    permission?: Permission;
    /** Only users granted at least one of these may enter. */
    anyPermission?: readonly Permission[];
    /** i18n key of the page title. */
    titleKey?: string;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/LoginPage.vue'),
    meta: { public: true, titleKey: 'route.login' },
  },
  {
    path: '/',
    component: () => import('@/layouts/PortalLayout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/pages/portal/HomePage.vue'),
        meta: { titleKey: 'route.home' },
      },
      {
        path: 'profile',
        name: 'profile',
        component: () => import('@/pages/portal/profile/ProfilePage.vue'),
        meta: { titleKey: 'route.profile' },
      },
      {
        path: 'courses/:id',
        name: 'course',
        component: () => import('@/pages/portal/course/CoursePage.vue'),
        props: true,
        meta: { titleKey: 'route.course' },
      },
      {
        path: 'courses/:courseId/materials/:id',
        name: 'reader',
        component: () => import('@/pages/portal/reader/MaterialReaderPage.vue'),
        props: true,
        meta: { titleKey: 'route.reader' },
      },
      {
        path: 'exams',
        name: 'my-exams',
        component: () => import('@/pages/portal/exam/MyExamsPage.vue'),
        meta: { titleKey: 'route.myExams', permission: 'exams.take' },
      },
      {
        path: 'attempts/:id',
        name: 'exam-attempt',
        component: () => import('@/pages/portal/exam/ExamTakingPage.vue'),
        props: true,
        meta: { titleKey: 'route.examAttempt', permission: 'exams.take' },
      },
      {
        path: 'attempts/:id/result',
        name: 'exam-result',
        component: () => import('@/pages/portal/exam/ExamResultPage.vue'),
        props: true,
        meta: { titleKey: 'route.examResult', permission: 'exams.take' },
      },
      {
        path: 'wrong-answers',
        name: 'wrong-answers',
        component: () => import('@/pages/portal/wrong-answers/WrongAnswerBookPage.vue'),
        meta: { titleKey: 'route.wrongAnswers', permission: 'exams.take' },
      },
    ],
  },
  {
    path: '/admin',
    component: () => import('@/layouts/AdminLayout.vue'),
    meta: { roles: STAFF_ROLES },
    // The console's texts load alongside its layout, never for learners.
    beforeEnter: () => loadConsoleMessages(),
    children: [
      {
        path: '',
        name: 'admin-dashboard',
        component: () => import('@/pages/admin/DashboardPage.vue'),
        meta: { titleKey: 'route.dashboard' },
      },
      {
        path: 'users',
        name: 'admin-users',
        component: () => import('@/pages/admin/users/UsersPage.vue'),
        meta: { titleKey: 'route.users', permission: 'users.read' },
      },
      {
        path: 'users/import',
        name: 'admin-users-import',
        component: () => import('@/pages/admin/users-import/UserImportPage.vue'),
        meta: { titleKey: 'route.userImport', permission: 'users.import' },
      },
      {
        path: 'departments',
        name: 'admin-departments',
        component: () => import('@/pages/admin/departments/DepartmentsPage.vue'),
        meta: { titleKey: 'route.departments', permission: 'departments.read' },
      },
      {
        path: 'courses',
        name: 'admin-courses',
        component: () => import('@/pages/admin/courses/CoursesPage.vue'),
        meta: { titleKey: 'route.courses', anyPermission: COURSE_CONSOLE_PERMISSIONS },
      },
      {
        path: 'courses/:id',
        name: 'admin-course',
        component: () => import('@/pages/admin/courses/CourseEditorPage.vue'),
        props: true,
        meta: { titleKey: 'route.courseEditor', anyPermission: COURSE_CONSOLE_PERMISSIONS },
      },
      {
        path: 'audit',
        name: 'admin-audit',
        component: () => import('@/pages/admin/audit/AuditLogPage.vue'),
        meta: { titleKey: 'route.audit', permission: 'audit.read' },
      },
      {
        path: 'settings',
        name: 'admin-settings',
        component: () => import('@/pages/admin/settings/SystemSettingsPage.vue'),
        meta: { titleKey: 'route.settings', permission: 'settings.write' },
      },
      ...assessmentRoutes,
    ],
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('@/pages/ForbiddenPage.vue'),
    meta: { titleKey: 'route.forbidden' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/pages/NotFoundPage.vue'),
    meta: { public: true, titleKey: 'route.notFound' },
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

installGuards(router);
