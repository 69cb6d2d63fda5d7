import { Inject, Injectable } from '@nestjs/common';
import type { CandidateActivities } from '../../../workflows/candidate/activities.js';
import type { ProjectionBatch } from '../../../workflows/candidate/candidate.messages.js';
import { ProjectionRepository } from '../../../libs/persistence/src/repositories/projection.repository.js';

/** Thin adapter: the workflow's projection activity writes through the repository. */
@Injectable()
export class ProjectionActivities {
  constructor(@Inject(ProjectionRepository) private readonly projection: ProjectionRepository) {}

  async projectCandidate(batch: ProjectionBatch): Promise<void> {
    await this.projection.apply(batch);
  }
}

/** Binds each method: the worker gets plain functions, never the Nest instance. */
export function candidateActivities(impl: ProjectionActivities): CandidateActivities {
  return { projectCandidate: impl.projectCandidate.bind(impl) };
}
