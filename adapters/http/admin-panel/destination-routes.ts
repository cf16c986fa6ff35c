import type { ServerResponse } from 'node:http';
import { DestinationError } from '../../../src/destinations/destination-service.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import { DESTINATION_PLATFORMS } from '../../../src/platforms/platform-registry.js';
import type { Route } from '../http-server.js';
import {
  destinationFormPage,
  destinationPage,
  destinationSavedPage,
  messagePage,
  removeConfirmPage,
  testOutcomeNotice,
  type DestinationFormValues,
} from './destination-pages.js';
import { destinationProblemText } from './destination-problems.js';
import { html } from './html.js';
import { notice, PANEL_PATHS } from './layout.js';
import { changeRoute, viewRoute, type AdminPanelDeps } from './panel-context.js';
import { sendPage } from './panel-response.js';
import { queryOf } from './request-guard.js';
import { readScheduleForm } from './schedule-form.js';

/**
 * The webhook destinations' pages and changes: add (or replace), view, test, schedule and
 * remove, each through the destination service, which checks them as the CLI's commands do.
 */
export function destinationRoutes(deps: AdminPanelDeps): Route[] {
  const service = deps.destinations;

  /** Answers a refusal of the service in Korean; anything else is not ours to word. */
  const refused = (res: ServerResponse, csrfToken: string, error: unknown): void => {
    if (!(error instanceof DestinationError)) throw error;
    const status = error.problem === 'not-found' ? 404 : 422;
    const text = destinationProblemText(error.problem).text;
    sendPage(res, status, messagePage(csrfToken, '처리하지 못했습니다', notice('bad', text)));
  };

  /** The destination a form or a link names (its platform and name). */
  const named = (fields: URLSearchParams): ChannelRef =>
    service.channelOf(fields.get('platform') ?? '', fields.get('name') ?? '');

  return [
    viewRoute(deps, PANEL_PATHS.newDestination, async ({ req, res, session }) => {
      const query = queryOf(req);
      const sources = await deps.readers.sources();
      const values: DestinationFormValues = {
        platform: query.get('platform') ?? DESTINATION_PLATFORMS[0]!,
        name: query.get('name') ?? '',
        source: query.get('source') ?? sources[0]?.name ?? '',
        keywords: query.get('keywords') ?? '',
      };
      const replacing = query.has('name');
      sendPage(
        res,
        200,
        destinationFormPage({ csrfToken: session.csrfToken, sources, values, replacing }),
      );
    }),

    changeRoute(deps, PANEL_PATHS.addDestination, async ({ res, session, form }) => {
      const values: DestinationFormValues = {
        platform: form.get('platform') ?? '',
        name: (form.get('name') ?? '').trim(),
        source: form.get('source') ?? '',
        keywords: form.get('keywords') ?? '',
      };
      const secret = form.get('secret') ?? '';
      try {
        const added = await service.add({
          platform: values.platform,
          name: values.name,
          url: (form.get('url') ?? '').trim(),
          secret: secret === '' ? undefined : secret,
          source: values.source === '' ? undefined : values.source,
          keywords: values.keywords,
        });
        const details = await service.get(added.channel);
        sendPage(res, 200, destinationSavedPage(session.csrfToken, added, details));
      } catch (error) {
        if (!(error instanceof DestinationError)) throw error;
        const sources = await deps.readers.sources();
        sendPage(
          res,
          422,
          destinationFormPage({
            csrfToken: session.csrfToken,
            sources,
            values,
            error: destinationProblemText(error.problem),
            replacing: false,
          }),
        );
      }
    }),

    viewRoute(deps, PANEL_PATHS.destination, async ({ req, res, session }) => {
      try {
        const details = await service.get(named(queryOf(req)));
        sendPage(res, 200, destinationPage(session.csrfToken, details));
      } catch (error) {
        refused(res, session.csrfToken, error);
      }
    }),

    changeRoute(deps, PANEL_PATHS.testDestination, async ({ res, session, form }) => {
      try {
        const channel = named(form);
        const outcome = await service.test(channel);
        // Read after the test: a destination that took it is no longer broken.
        const details = await service.get(channel);
        sendPage(res, 200, destinationPage(session.csrfToken, details, testOutcomeNotice(outcome)));
      } catch (error) {
        refused(res, session.csrfToken, error);
      }
    }),

    changeRoute(deps, PANEL_PATHS.scheduleDestination, async ({ res, session, form }) => {
      try {
        const channel = named(form);
        const read = readScheduleForm(form);
        if (!read.ok) {
          const details = await service.get(channel);
          return sendPage(
            res,
            422,
            destinationPage(session.csrfToken, details, notice('bad', read.text)),
          );
        }
        await service.schedule(channel, read.schedule);
        const details = await service.get(channel);
        sendPage(
          res,
          200,
          destinationPage(session.csrfToken, details, notice('ok', '받는 방식을 저장했습니다.')),
        );
      } catch (error) {
        refused(res, session.csrfToken, error);
      }
    }),

    viewRoute(deps, PANEL_PATHS.confirmRemoval, async ({ req, res, session }) => {
      try {
        const details = await service.get(named(queryOf(req)));
        sendPage(res, 200, removeConfirmPage(session.csrfToken, details));
      } catch (error) {
        refused(res, session.csrfToken, error);
      }
    }),

    changeRoute(deps, PANEL_PATHS.removeDestination, async ({ res, session, form }) => {
      try {
        const channel = named(form);
        if (form.get('confirm') !== 'yes') {
          // Only the confirmation page's button says yes.
          return sendPage(
            res,
            200,
            removeConfirmPage(session.csrfToken, await service.get(channel)),
          );
        }
        await service.remove(channel);
        sendPage(
          res,
          200,
          messagePage(
            session.csrfToken,
            '삭제했습니다',
            notice('ok', html`목적지 ‘${channel.channelId}’의 구독과 저장한 주소를 지웠습니다.`),
          ),
        );
      } catch (error) {
        refused(res, session.csrfToken, error);
      }
    }),
  ];
}
