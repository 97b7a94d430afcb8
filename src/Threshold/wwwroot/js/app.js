// Progressive enhancement only: every page works without this script.
// GOV.UK Frontend and MOJ Frontend initialise the components marked with data-module
// (they do nothing unless <body> has the govuk-frontend-supported class).
import { initAll as initGovukFrontend } from '../lib/govuk/govuk-frontend.min.js';
import { initAll as initMojFrontend } from '../lib/moj/moj-frontend.min.js';

initGovukFrontend();
initMojFrontend();
