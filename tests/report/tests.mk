# tests/report - lpsgd report: a tiny study built by hand (study.sh: synthetic least squares,
# 2 formats x 2 stepsizes x 2 seeds, --compensate, a failed and a pending job), the page's
# files, a self-contained HTML, numbers against awk over the logs, the same Markdown twice,
# bad input; and the page rendered in headless Chromium (every image loads, tables, a
# screenshot of sensible size; skipped without chromium).
LP_TEST_SCRIPTS += tests/report/test_report.sh tests/report/test_report_browser.sh
