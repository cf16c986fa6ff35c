/**
 * The bot's settings when nothing is set, as this tree's configuration gives them: the
 * sections name the defaults they ran with from here, not from a copy in their prose.
 */
import { parseConfig } from '../src/config/config.js';

export const DEFAULTS = parseConfig({});
