import type { Kysely } from 'kysely';
import { createTable, longText } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'courses')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('cover', 'varchar(500)')
    .addColumn('category', 'varchar(64)')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('courses_status').on('courses').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('courses_owner').on('courses').column('owner_id').execute();

  await createTable(db, 'chapters')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull().references('courses.id'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chapters_course').on('chapters').column('course_id').execute();

  await createTable(db, 'materials')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull().references('courses.id'))
    .addColumn('chapter_id', 'varchar(36)', (c) => c.references('chapters.id'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('filename', 'varchar(255)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('mime', 'varchar(128)', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('storage_key', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('text', longText(db))
    .addColumn('outline', longText(db))
    .addColumn('pages', 'integer')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('materials_course').on('materials').column('course_id').execute();

  await createTable(db, 'chunks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('material_id', 'varchar(36)', (c) => c.notNull().references('materials.id'))
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('heading_path', 'text', (c) => c.notNull())
    .addColumn('location', 'varchar(500)', (c) => c.notNull())
    .addColumn('start_offset', 'integer', (c) => c.notNull())
    .addColumn('end_offset', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chunks_material').on('chunks').columns(['material_id', 'idx']).execute();
  await db.schema.createIndex('chunks_course').on('chunks').column('course_id').execute();

  await createTable(db, 'knowledge_points')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull().references('courses.id'))
    .addColumn('parent_id', 'varchar(36)', (c) => c.references('knowledge_points.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('knowledge_points_course').on('knowledge_points').columns(['course_id', 'name']).unique().execute();

  await createTable(db, 'chunk_knowledge_points')
    .addColumn('chunk_id', 'varchar(36)', (c) => c.notNull().references('chunks.id'))
    .addColumn('knowledge_point_id', 'varchar(36)', (c) => c.notNull().references('knowledge_points.id'))
    .addPrimaryKeyConstraint('chunk_knowledge_points_pk', ['chunk_id', 'knowledge_point_id'])
    .execute();
  await db.schema.createIndex('ckp_kp').on('chunk_knowledge_points').column('knowledge_point_id').execute();

  await createTable(db, 'course_assignments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull().references('courses.id'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('assigned_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('course_assignments_course').on('course_assignments').column('course_id').execute();

  await createTable(db, 'enrolments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull().references('courses.id'))
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('assignment_id', 'varchar(36)')
    .addColumn('due_at', 'bigint')
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('enrolments_course_user').on('enrolments').columns(['course_id', 'user_id']).unique().execute();
  await db.schema.createIndex('enrolments_user').on('enrolments').column('user_id').execute();

  await createTable(db, 'material_progress')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('material_id', 'varchar(36)', (c) => c.notNull().references('materials.id'))
    .addColumn('course_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('first_opened_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('seconds_spent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('material_progress_user_material').on('material_progress').columns(['user_id', 'material_id']).unique().execute();
  await db.schema.createIndex('material_progress_course').on('material_progress').columns(['course_id', 'user_id']).execute();
}
