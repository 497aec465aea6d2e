import type { Course, Material } from '@kpl/shared';
import type { CourseRow } from './courses.repository.js';
import type { MaterialRow } from './materials.repository.js';

export function presentCourse(r: CourseRow): Course {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    cover: r.cover,
    category: r.category,
    tags: JSON.parse(r.tags) as string[],
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    status: r.status,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function presentMaterial(m: MaterialRow): Material {
  return {
    id: m.id,
    courseId: m.course_id,
    chapterId: m.chapter_id,
    title: m.title,
    filename: m.filename,
    kind: m.kind,
    sizeBytes: Number(m.size_bytes),
    status: m.status,
    progress: Number(m.progress),
    error: m.error,
    pages: m.pages === null ? null : Number(m.pages),
    chunkCount: m.chunk_count,
    createdAt: Number(m.created_at),
  };
}
