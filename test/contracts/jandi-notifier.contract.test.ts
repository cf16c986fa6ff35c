import { jandiFormat } from '../../adapters/jandi/jandi-format.js';
import { FakeJandi } from '../support/fake-jandi.js';
import { destinationHarness } from './destination-harness.js';
import { describeNotifierContract } from './notifier.contract.js';

describeNotifierContract('JANDI', () =>
  destinationHarness({
    platform: 'jandi',
    format: jandiFormat,
    fake: () => new FakeJandi(),
    spacingMs: 1_000,
    gone: 404,
    noAccess: 403,
  }),
);
