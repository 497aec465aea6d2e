import type { Course } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { cleanTags, emptyCourseModel, modelOfCourse, toCourseInput, toCoursePatch } from './course-form';

const COURSE: Course = {
  id: 'c1',
  title: '合规培训',
  description: '',
  cover: null,
  category: '合规',
  tags: ['合规'],
  ownerId: 'u1',
  ownerName: '李讲师',
  status: 'draft',
  createdAt: 1,
  updatedAt: 1,
};

describe('course form', () => {
  it('sends null for empty optional fields and clean tags', () => {
    expect(toCourseInput({ ...emptyCourseModel(), title: '  新课程 ', tags: [' a ', 'a', '', 'b'] })).toEqual({
      title: '新课程',
      description: '',
      category: null,
      tags: ['a', 'b'],
      cover: null,
    });
    expect(cleanTags(['x', ' x'])).toEqual(['x']);
  });

  it('patches only what changed', () => {
    const model = modelOfCourse(COURSE);
    expect(toCoursePatch(model, COURSE)).toEqual({});
    expect(toCoursePatch({ ...model, category: '', tags: ['合规', '法律'] }, COURSE)).toEqual({ category: null, tags: ['合规', '法律'] });
  });
});
