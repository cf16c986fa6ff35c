/**
 * Webhook destinations (Teams, JANDI, Dooray!, signed webhooks) belong to no workspace: the
 * operator adds each by its URL and a name. They all share this workspace id, and the name is
 * the channel id, so `teams:esg-team` names one as `slack:C0123` names a Slack channel.
 */
export const DESTINATION_WORKSPACE = 'destinations';

/** A destination's name: short, lower-case, safe in a Redis key and a URL. */
export const DESTINATION_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
