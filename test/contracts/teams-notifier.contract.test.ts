import { teamsFormat } from '../../adapters/teams/teams-format.js';
import { FakeTeams } from '../support/fake-teams.js';
import { destinationHarness } from './destination-harness.js';
import { describeNotifierContract } from './notifier.contract.js';

describeNotifierContract('Microsoft Teams', () =>
  destinationHarness({
    platform: 'teams',
    format: teamsFormat,
    fake: () => new FakeTeams(),
    spacingMs: 250,
    gone: 404,
    // A flow URL whose signature no longer opens it: 401 DirectApiAuthorizationRequired.
    noAccess: 401,
  }),
);
