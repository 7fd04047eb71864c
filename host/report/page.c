/*
 * page.c - the page twin writer: each call writes the same content as HTML (report.html,
 * self-contained: inline CSS, images as base64 data: URIs, no script, no link out) and as
 * Markdown (report.md, linking the PNGs in report/). See report.h.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/lp_io.h"
#include "report.h"

#define IMG_MAX (64ull << 20)

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1240px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}\n"
    "h1{font-size:1.7em;border-bottom:2px solid #0072B2;padding-bottom:.2em}\n"
    "h2{font-size:1.35em;margin-top:2em;border-bottom:1px solid #ccc}\nh3{font-size:1.1em;margin-top:1.5em}\n"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.9em}\n"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "th{background:#eef3f8}\ntr:nth-child(even) td{background:#fafafa}\ntd.n{text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    "code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}\n"
    "img{max-width:100%;height:auto;border:1px solid #ddd;margin:.5em 0}\n"
    "p.note{color:#555;font-size:.9em}\n";

static void html_esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Markdown text: the characters that would start markup are escaped; in a table also '|'. */
static void md_esc(FILE *f, const char *s, int in_table)
{
    for (; *s; s++) {
        if (strchr("\\*`[]<>", *s) || (in_table && *s == '|'))
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

/* A Markdown code span (a fence longer than any run of backticks inside). */
static void md_code(FILE *f, const char *s, int in_table)
{
    int run = 0, longest = 0;
    for (const char *c = s; *c; c++) {
        run = *c == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (int i = 0; i <= longest; i++)
        fputc('`', f);
    fputs(longest ? " " : "", f);
    for (; *s; s++) {
        if (in_table && *s == '|')
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputs(longest ? " " : "", f);
    for (int i = 0; i <= longest; i++)
        fputc('`', f);
}

static void close_list(rp_page_t *p)
{
    if (p->in_list) {
        fputs("</ul>\n", p->html);
        fputs("\n", p->md);
        p->in_list = 0;
    }
}

void rp_page_begin(rp_page_t *p, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", p->html);
    html_esc(p->html, title);
    fprintf(p->html, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    html_esc(p->html, title);
    fputs("</h1>\n", p->html);
    fputs("# ", p->md);
    md_esc(p->md, title, 0);
    fputs("\n\n", p->md);
}

void rp_page_end(rp_page_t *p)
{
    close_list(p);
    fputs("</body>\n</html>\n", p->html);
}

void rp_page_h(rp_page_t *p, int level, const char *text)
{
    close_list(p);
    fprintf(p->html, "<h%d>", level);
    html_esc(p->html, text);
    fprintf(p->html, "</h%d>\n", level);
    for (int i = 0; i < level; i++)
        fputc('#', p->md);
    fputc(' ', p->md);
    md_esc(p->md, text, 0);
    fputs("\n\n", p->md);
}

/* vprintf into a malloc'd string (NULL when out of memory). */
static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void rp_page_p(rp_page_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vfmt(fmt, ap);
    va_end(ap);
    close_list(p);
    if (!s) {
        p->failed = 1;
        return;
    }
    fputs("<p>", p->html);
    html_esc(p->html, s);
    fputs("</p>\n", p->html);
    md_esc(p->md, s, 0);
    fputs("\n\n", p->md);
    free(s);
}

void rp_page_li(rp_page_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vfmt(fmt, ap);
    va_end(ap);
    if (!s) {
        p->failed = 1;
        return;
    }
    if (!p->in_list)
        fputs("<ul>\n", p->html);
    p->in_list = 1;
    fputs("<li>", p->html);
    html_esc(p->html, s);
    fputs("</li>\n", p->html);
    fputs("- ", p->md);
    md_esc(p->md, s, 0);
    fputs("\n", p->md);
    free(s);
}

void rp_page_list_end(rp_page_t *p)
{
    close_list(p);
}

void rp_page_table(rp_page_t *p, const char *const *head, int n)
{
    close_list(p);
    p->cols = n;
    fputs("<table>\n<tr>", p->html);
    for (int i = 0; i < n; i++) {
        fputs("<th>", p->html);
        html_esc(p->html, head[i]);
        fputs("</th>", p->html);
        fputs("| ", p->md);
        md_esc(p->md, head[i], 1);
        fputc(' ', p->md);
    }
    fputs("</tr>\n", p->html);
    fputs("|\n", p->md);
    for (int i = 0; i < n; i++)
        fputs("|---", p->md);
    fputs("|\n", p->md);
}

void rp_page_row(rp_page_t *p, const char *const *cells, int n)
{
    fputs("<tr>", p->html);
    for (int i = 0; i < p->cols; i++) {
        const char *c = i < n && cells[i] ? cells[i] : "";
        int code = c[0] == '`', num = (c[0] >= '0' && c[0] <= '9') || (c[0] == '-' && c[1] >= '0' && c[1] <= '9');
        fputs(num ? "<td class=\"n\">" : "<td>", p->html);
        fputs(code ? "<code>" : "", p->html);
        html_esc(p->html, c + code);
        fputs(code ? "</code></td>" : "</td>", p->html);
        fputs("| ", p->md);
        if (code)
            md_code(p->md, c + 1, 1);
        else
            md_esc(p->md, c, 1);
        fputc(' ', p->md);
    }
    fputs("</tr>\n", p->html);
    fputs("|\n", p->md);
}

void rp_page_table_end(rp_page_t *p)
{
    fputs("</table>\n", p->html);
    fputs("\n", p->md);
    p->cols = 0;
}

static void base64(FILE *f, const uint8_t *b, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16 | (i + 1 < n ? (uint32_t)b[i + 1] << 8 : 0) | (i + 2 < n ? b[i + 2] : 0);
        fputc(a[v >> 18], f);
        fputc(a[(v >> 12) & 63], f);
        fputc(i + 1 < n ? a[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < n ? a[v & 63] : '=', f);
    }
}

void rp_page_img(rp_page_t *p, const char *name, const char *alt)
{
    char path[4096];
    uint8_t *buf;
    size_t len;
    close_list(p);
    snprintf(path, sizeof path, "%s/%s", p->imgdir, name);
    if (lp_io_read_file(path, IMG_MAX, "a PNG drawn by lpsgd report", &buf, &len, p->err)) {
        p->failed = 1;
        return;
    }
    fputs("<p><img alt=\"", p->html);
    html_esc(p->html, alt);
    fputs("\" src=\"data:image/png;base64,", p->html);
    base64(p->html, buf, len);
    fputs("\"></p>\n", p->html);
    free(buf);
    fputs("![", p->md);
    md_esc(p->md, alt, 0);
    fprintf(p->md, "](%s/%s)\n\n", p->imglink, name);
}
