// Mocha reporter: mocha's own spec output on the console, plus the final counts written as JSON to
// the file named by CUSTOMER_LENS_MOCHA_SUMMARY (if set), so scripts/test-all.mjs can count the unit
// tests without parsing text. Usage: mocha --reporter ./test/runners/mocha-summary-reporter.cjs
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.CUSTOMER_LENS_MOCHA_SUMMARY;
      if (!file) return;
      const s = runner.stats || {};
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({
        passes: s.passes || 0, failures: s.failures || 0, pending: s.pending || 0, tests: s.tests || 0, duration: s.duration || 0,
      }));
    });
  }
}

module.exports = SummaryReporter;
