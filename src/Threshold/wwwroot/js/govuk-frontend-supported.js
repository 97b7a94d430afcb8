// Loaded synchronously as the first thing in <body> (see Pages/Shared/_Layout.cshtml), as GOV.UK
// Frontend asks, so components styled for JavaScript do not flash; an external file rather than
// an inline script so the Content-Security-Policy needs no 'unsafe-inline'.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
