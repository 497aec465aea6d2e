import type { Generated } from 'kysely';

/**
 * Table types. Conventions: ids are UUIDv7 strings made by the app; times are UTC epoch
 * milliseconds (BIGINT) so both dialects compare and sort them the same way; JSON is stored as text.
 */
export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  progress: number;
  attempts: number;
  max_attempts: number;
  result: string | null;
  error: string | null;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface DepartmentsTable {
  id: string;
  parent_id: string | null;
  name: string;
  sort_order: Generated<number>;
  /** Ancestor ids and its own, e.g. "/rootId/childId/". */
  path: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  username: string;
  employee_no: string | null;
  email: string | null;
  phone: string | null;
  display_name: string;
  password_hash: string;
  role: 'admin' | 'manager' | 'instructor' | 'learner';
  department_id: string | null;
  position: string | null;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
}

export interface RefreshTokensTable {
  id: string;
  family_id: string;
  user_id: string;
  /** SHA-256 of the secret part; the token itself is never stored. */
  token_hash: string;
  expires_at: number;
  created_at: number;
  used_at: number | null;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

/**
 * One row per audited event; append-only. `actor_id` has no foreign key on purpose: the trail
 * must outlive the users it names, and failed sign-ins have no known actor.
 */
export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  outcome: 'success' | 'failure';
  /** JSON object, secrets redacted. */
  details: string | null;
}

export interface CoursesTable {
  id: string;
  title: string;
  description: string;
  cover: string | null;
  category: string | null;
  /** JSON array of strings. */
  tags: string;
  owner_id: string;
  status: 'draft' | 'published' | 'archived';
  created_at: number;
  updated_at: number;
}

export interface ChaptersTable {
  id: string;
  course_id: string;
  title: string;
  sort_order: number;
  created_at: number;
  updated_at: number;
}

export interface MaterialsTable {
  id: string;
  course_id: string;
  chapter_id: string | null;
  title: string;
  filename: string;
  kind: 'pdf' | 'docx' | 'markdown' | 'text';
  mime: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  status: 'processing' | 'ready' | 'failed';
  progress: number;
  error: string | null;
  /** Normalised extracted text; chunk offsets point into it. */
  text: string | null;
  /** JSON: [{ level, title, start }]. */
  outline: string | null;
  pages: number | null;
  sort_order: number;
  uploaded_by: string;
  created_at: number;
  updated_at: number;
}

export interface ChunksTable {
  id: string;
  material_id: string;
  course_id: string;
  idx: number;
  text: string;
  /** JSON array of headings. */
  heading_path: string;
  location: string;
  start_offset: number;
  end_offset: number;
}

export interface KnowledgePointsTable {
  id: string;
  course_id: string;
  parent_id: string | null;
  name: string;
  status: 'suggested' | 'confirmed';
  /** TF-IDF weight × 1000 for suggestions; 0 for manual entries. */
  weight: number;
  created_at: number;
  updated_at: number;
}

export interface ChunkKnowledgePointsTable {
  chunk_id: string;
  knowledge_point_id: string;
}

export interface CourseAssignmentsTable {
  id: string;
  course_id: string;
  target_type: 'department' | 'user';
  target_id: string;
  due_at: number | null;
  required: number;
  assigned_by: string;
  created_at: number;
}

export interface EnrolmentsTable {
  id: string;
  course_id: string;
  user_id: string;
  assignment_id: string | null;
  due_at: number | null;
  required: number;
  created_at: number;
  completed_at: number | null;
}

export interface MaterialProgressTable {
  id: string;
  user_id: string;
  material_id: string;
  course_id: string;
  first_opened_at: number;
  last_seen_at: number;
  seconds_spent: number;
  completed_at: number | null;
}

export interface DB {
  jobs: JobsTable;
  settings: SettingsTable;
  departments: DepartmentsTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  audit_log: AuditLogTable;
  courses: CoursesTable;
  chapters: ChaptersTable;
  materials: MaterialsTable;
  chunks: ChunksTable;
  knowledge_points: KnowledgePointsTable;
  chunk_knowledge_points: ChunkKnowledgePointsTable;
  course_assignments: CourseAssignmentsTable;
  enrolments: EnrolmentsTable;
  material_progress: MaterialProgressTable;
}
