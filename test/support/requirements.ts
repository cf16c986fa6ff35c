import { describe, it } from 'vitest';

/** Something a suite needs that a developer's machine may lack (a browser, ::1, a program). */
export interface Requirement {
  /** The variable that, set to `1`, makes its absence a failure: `.ci/run` sets it. */
  env: string;
  available: boolean;
  /** What is missing and how to get it: said in the skipped suite's title or the failure. */
  missing: string;
}

/**
 * `describe` where the requirement is met. Where it is not, the suite is skipped with the
 * reason in its title (the summary `.ci/run` prints lists it), unless `REQUIRE_…=1` says this
 * machine must have it: then the suite is one failing test saying what is missing (its own
 * hooks, which would fail less clearly, do not run), and the run's exit status shows it.
 */
export function describeNeeding(requirement: Requirement, title: string, body: () => void): void {
  if (requirement.available) return void describe(title, body);
  if (process.env[requirement.env] !== '1') {
    return void describe.skip(`${title} (skipped: ${requirement.missing})`, body);
  }
  describe(title, () => {
    it('has what it needs', () => {
      throw new Error(`${requirement.env}=1, but ${requirement.missing}`);
    });
  });
}
