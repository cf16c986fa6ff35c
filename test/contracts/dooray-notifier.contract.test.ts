import { doorayFormat } from '../../adapters/dooray/dooray-format.js';
import { FakeDooray } from '../support/fake-dooray.js';
import { destinationHarness } from './destination-harness.js';
import { describeNotifierContract } from './notifier.contract.js';

describeNotifierContract('Dooray!', () =>
  destinationHarness({
    platform: 'dooray',
    format: doorayFormat,
    fake: () => new FakeDooray(),
    spacingMs: 1_000,
    gone: 404,
    noAccess: 403,
  }),
);
