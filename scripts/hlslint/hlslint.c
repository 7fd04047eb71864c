/*
 * hlslint - checks HLS C kernel sources against the Vitis HLS rules (docs/hls-lint.md),
 * on clang's AST through libclang's C API.
 *
 * Usage: hlslint [--top FUNC]... [--root DIR]... FILE.c... [-- CLANG_ARGS...]
 *
 * Every file is parsed as C11 (-xc -std=c11 -Wno-unknown-pragmas, then CLANG_ARGS). The
 * checked code is every declaration in a given file or in a header under a --root folder,
 * never a system header; the call graph spans all the files. Each violation is printed
 * as FILE:LINE:COL: RULE: MESSAGE on stdout, sorted and without duplicates (a header seen
 * by two files is reported once), then their count on stderr. Exit 0 when clean, 1 with violations, 2 on bad usage or
 * when a file does not parse (clang's diagnostics on stderr).
 *
 * Rules: recursion, dynamic-memory, function-pointer, external-call, double,
 * unbounded-loop, maxi-pointer-arith.
 */
#include <clang-c/Index.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_DEPTH 512

typedef struct {
    char *file; /* path relative to the working folder when under it */
    unsigned line, col;
    const char *rule;
    char *msg;
} viol_t;

typedef struct {
    char *usr, *name;
    CXCursor cur;   /* the definition */
    int nparams;
    char *port;     /* port[i]: parameter i is an m_axi port */
} fn_t;

typedef struct {
    int caller, callee; /* indices into fns; callee -1: not defined in the checked code */
    char *file;
    unsigned line, col;
    int nargs;
    int *argparam;      /* argparam[i]: the caller parameter argument i names directly, or -1 */
} call_t;

typedef struct {
    const char **tops;
    int ntops;
    char **roots;
    int nroots;
    const char **files;
    int nfiles;
    const char **cargs;
    int ncargs;
} opts_t;

typedef struct {
    opts_t o;
    char cwd[PATH_MAX];
    CXIndex index;
    CXTranslationUnit *tus;
    viol_t *v;
    int nv, capv;
    fn_t *fns;
    int nfns, capfns;
    call_t *calls;
    int ncalls, capcalls;
} lint_t;

/* One walk of a cursor's subtree with the chain of parents (and each one's child index). */
typedef struct walk walk_t;
typedef struct {
    CXCursor c;
    unsigned idx, nkids;
} frame_t;
struct walk {
    lint_t *L;
    int fn; /* index into fns, -1 for file-scope declarations */
    void (*on)(walk_t *, CXCursor);
    frame_t st[MAX_DEPTH];
    int depth;
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "hlslint: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static char *cxstr(CXString s)
{
    char *r = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");
    clang_disposeString(s);
    return r;
}

#define GROW(arr, n, cap)                                            \
    do {                                                             \
        if ((n) == (cap)) {                                          \
            (cap) = (cap) ? 2 * (cap) : 16;                          \
            (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));  \
        }                                                            \
    } while (0)

/* ---- locations ---- */

/* The file of a location (where a macro is expanded), its real path relative to the working
 * folder when under it; NULL when there is none. */
static char *loc_file(lint_t *L, CXSourceLocation loc, unsigned *line, unsigned *col)
{
    CXFile f;
    clang_getExpansionLocation(loc, &f, line, col, NULL);
    if (!f)
        return NULL;
    char *name = cxstr(clang_getFileName(f)), real[PATH_MAX];
    if (!realpath(name, real))
        return name;
    free(name);
    size_t n = strlen(L->cwd);
    if (strncmp(real, L->cwd, n) == 0 && real[n] == '/')
        return xstrdup(real + n + 1);
    return xstrdup(real);
}

/* Is the cursor in checked code: a given file or a header under a --root, not a system header? */
static int checked_loc(lint_t *L, CXCursor c)
{
    CXSourceLocation loc = clang_getCursorLocation(c);
    if (clang_Location_isInSystemHeader(loc))
        return 0;
    if (clang_Location_isFromMainFile(loc))
        return 1;
    unsigned line, col;
    char *file = loc_file(L, loc, &line, &col);
    if (!file)
        return 0;
    char real[PATH_MAX];
    int ok = 0;
    if (realpath(file, real))
        for (int i = 0; i < L->o.nroots && !ok; i++) {
            size_t n = strlen(L->o.roots[i]);
            ok = strncmp(real, L->o.roots[i], n) == 0 && real[n] == '/';
        }
    free(file);
    return ok;
}

static void report(lint_t *L, CXCursor c, const char *rule, const char *fmt, ...)
{
    unsigned line, col;
    char *file = loc_file(L, clang_getCursorLocation(c), &line, &col), buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    GROW(L->v, L->nv, L->capv);
    L->v[L->nv++] = (viol_t){file ? file : xstrdup("<unknown>"), line, col, rule, xstrdup(buf)};
}

static int viol_cmp(const void *a, const void *b)
{
    const viol_t *x = a, *y = b;
    int d = strcmp(x->file, y->file);
    if (!d)
        d = (x->line > y->line) - (x->line < y->line);
    if (!d)
        d = (x->col > y->col) - (x->col < y->col);
    if (!d)
        d = strcmp(x->rule, y->rule);
    return d;
}

/* Print the violations sorted, each (file, line, column, rule) once; return how many. */
static int print_violations(lint_t *L)
{
    qsort(L->v, (size_t)L->nv, sizeof *L->v, viol_cmp);
    int n = 0;
    for (int i = 0; i < L->nv; i++) {
        if (i > 0 && viol_cmp(&L->v[i - 1], &L->v[i]) == 0)
            continue;
        printf("%s:%u:%u: %s: %s\n", L->v[i].file, L->v[i].line, L->v[i].col, L->v[i].rule, L->v[i].msg);
        n++;
    }
    return n;
}

/* ---- small AST helpers ---- */

static int is_wrapper(enum CXCursorKind k)
{
    return k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr;
}

static enum CXChildVisitResult first_child_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    *(CXCursor *)d = c;
    return CXChildVisit_Break;
}

static CXCursor first_child(CXCursor c)
{
    CXCursor r = clang_getNullCursor();
    clang_visitChildren(c, first_child_cb, &r);
    return r;
}

/* The expression under implicit casts and parentheses. */
static CXCursor strip(CXCursor c)
{
    while (is_wrapper(clang_getCursorKind(c))) {
        CXCursor k = first_child(c);
        if (clang_Cursor_isNull(k))
            break;
        c = k;
    }
    return c;
}

/* The walk's frame index of the nearest ancestor of frame i that is not a wrapper; the
 * index of the child on the path to frame i goes to *via. -1 at the root. */
static int parent_frame(const walk_t *w, int i, unsigned *via)
{
    while (i > 0 && is_wrapper(clang_getCursorKind(w->st[i - 1].c)))
        i--;
    if (via)
        *via = w->st[i].idx;
    return i - 1;
}

static unsigned offset_of(CXSourceLocation loc)
{
    unsigned off;
    clang_getExpansionLocation(loc, NULL, NULL, NULL, &off);
    return off;
}

typedef struct {
    unsigned beg, end;
} span_t;

static span_t span_of(CXCursor c)
{
    CXSourceRange r = clang_getCursorExtent(c);
    return (span_t){offset_of(clang_getRangeStart(r)), offset_of(clang_getRangeEnd(r))};
}

/* Is the construct written where it stands: its first source token at the start of its
 * extent? Not so in a macro's expansion, where libclang's tokens start in the macro's
 * definition while its locations are those of the invocation: the token-based checks
 * (operators, for headers) then know nothing. */
static int written_here(CXCursor c)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    CXToken *t = NULL;
    unsigned nt = 0;
    clang_tokenize(tu, clang_getCursorExtent(c), &t, &nt);
    int r = nt > 0 && offset_of(clang_getTokenLocation(tu, t[0])) ==
                          offset_of(clang_getRangeStart(clang_getCursorExtent(c)));
    clang_disposeTokens(tu, t, nt);
    return r;
}

/* The operator of a binary, compound-assignment or unary operator cursor, from its tokens
 * (those inside its extent: in a macro's expansion libclang's list starts in the macro's
 * definition): the first token at or after the end of the first operand (binary), else
 * the first or the last token. Writes "" when unknown. */
static void operator_of(CXCursor c, char *op, size_t n)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    CXToken *t = NULL;
    unsigned nt = 0, lo, hi;
    CXCursor lhs = first_child(c);
    span_t own = span_of(c), sl = span_of(lhs);
    op[0] = 0;
    if (clang_Cursor_isNull(lhs))
        return;
    clang_tokenize(tu, clang_getCursorExtent(c), &t, &nt);
    for (lo = 0; lo < nt && offset_of(clang_getTokenLocation(tu, t[lo])) < own.beg; lo++)
        ;
    for (hi = lo; hi < nt && offset_of(clang_getTokenLocation(tu, t[hi])) < own.end; hi++)
        ;
    unsigned pick = lo;
    if (clang_getCursorKind(c) == CXCursor_UnaryOperator)
        pick = lo < hi && offset_of(clang_getTokenLocation(tu, t[lo])) < sl.beg ? lo : hi - 1;
    else
        while (pick < hi && offset_of(clang_getTokenLocation(tu, t[pick])) < sl.end)
            pick++;
    if (lo < hi && pick < hi && clang_getTokenKind(t[pick]) == CXToken_Punctuation) {
        char *sp = cxstr(clang_getTokenSpelling(tu, t[pick]));
        snprintf(op, n, "%s", sp);
        free(sp);
    }
    clang_disposeTokens(tu, t, nt);
}

static int is_double(CXType t)
{
    enum CXTypeKind k = clang_getCanonicalType(t).kind;
    return k == CXType_Double || k == CXType_LongDouble;
}

/* Does the type, through pointers and arrays, reach a type accepted by pred? ptrs: how many
 * pointer levels were crossed on the way. */
static int type_reaches(CXType t, int (*pred)(CXType, int), int ptrs)
{
    t = clang_getCanonicalType(t);
    if (pred(t, ptrs))
        return 1;
    switch (t.kind) {
    case CXType_Pointer:
        return type_reaches(clang_getPointeeType(t), pred, ptrs + 1);
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
        return type_reaches(clang_getArrayElementType(t), pred, ptrs);
    default:
        return 0;
    }
}

static int pred_double(CXType t, int ptrs)
{
    (void)ptrs;
    return is_double(t);
}

static int pred_fnptr(CXType t, int ptrs)
{
    return ptrs > 0 && (t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto);
}

/* a variable-length array, outside any pointer (a pointer to one allocates nothing) */
static int pred_vla(CXType t, int ptrs)
{
    return ptrs == 0 && t.kind == CXType_VariableArray;
}

static int is_integer_type(CXType t)
{
    enum CXTypeKind k = clang_getCanonicalType(t).kind;
    return (k >= CXType_Bool && k <= CXType_Int128) || k == CXType_Enum;
}

static int find_fn(lint_t *L, const char *usr)
{
    for (int i = 0; i < L->nfns; i++)
        if (strcmp(L->fns[i].usr, usr) == 0)
            return i;
    return -1;
}

/* ---- the walk ---- */

static enum CXChildVisitResult walk_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    walk_t *w = d;
    (void)parent;
    unsigned idx = w->st[w->depth - 1].nkids++;
    if (w->depth == MAX_DEPTH)
        return CXChildVisit_Continue;
    w->st[w->depth++] = (frame_t){c, idx, 0};
    w->on(w, c);
    clang_visitChildren(c, walk_cb, w);
    w->depth--;
    return CXChildVisit_Continue;
}

static void walk(lint_t *L, int fn, CXCursor root, void (*on)(walk_t *, CXCursor))
{
    static walk_t w; /* large: not on the stack */
    w.L = L;
    w.fn = fn;
    w.on = on;
    w.st[0] = (frame_t){root, 0, 0};
    w.depth = 1;
    on(&w, root);
    clang_visitChildren(root, walk_cb, &w);
}

/* ---- rules 2 to 5 on declarations and calls ---- */

static const char *const dyn_fns[] = {"malloc", "calloc", "realloc", "free", "aligned_alloc",
                                      "alloca", "__builtin_alloca", NULL};

static int is_dyn_fn(const char *name)
{
    for (int i = 0; dyn_fns[i]; i++)
        if (strcmp(name, dyn_fns[i]) == 0)
            return 1;
    return 0;
}

static void check_decl(walk_t *w, CXCursor c)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    char *name = cxstr(clang_getCursorSpelling(c));
    CXType t = k == CXCursor_TypedefDecl ? clang_getTypedefDeclUnderlyingType(c) : clang_getCursorType(c);
    if (k == CXCursor_FunctionDecl) {
        if (is_double(clang_getResultType(t)))
            report(w->L, c, "double", "function '%s' returns a double type", name);
    } else {
        const char *what = k == CXCursor_VarDecl ? "variable" : k == CXCursor_ParmDecl ? "parameter"
                           : k == CXCursor_FieldDecl ? "field" : "typedef";
        if (type_reaches(t, pred_double, 0))
            report(w->L, c, "double", "%s '%s' has a double type", what, name);
        if (type_reaches(t, pred_fnptr, 0))
            report(w->L, c, "function-pointer", "%s '%s' has a pointer-to-function type", what, name);
        if ((k == CXCursor_VarDecl || k == CXCursor_TypedefDecl) && type_reaches(t, pred_vla, 0))
            report(w->L, c, "dynamic-memory", "%s '%s' is a variable-length array", what, name);
    }
    free(name);
}

/* Which caller parameter (index) does the expression name directly, -1 if none. */
static int param_named(lint_t *L, int fn, CXCursor e)
{
    e = strip(e);
    if (fn < 0 || clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return -1;
    CXCursor d = clang_getCursorReferenced(e);
    for (int i = 0; i < L->fns[fn].nparams; i++)
        if (clang_equalCursors(d, clang_Cursor_getArgument(L->fns[fn].cur, (unsigned)i)))
            return i;
    return -1;
}

static void record_call(walk_t *w, CXCursor c, int callee)
{
    lint_t *L = w->L;
    GROW(L->calls, L->ncalls, L->capcalls);
    call_t *k = &L->calls[L->ncalls++];
    k->caller = w->fn;
    k->callee = callee;
    k->file = loc_file(L, clang_getCursorLocation(c), &k->line, &k->col);
    k->nargs = clang_Cursor_getNumArguments(c);
    k->nargs = k->nargs < 0 ? 0 : k->nargs;
    k->argparam = xrealloc(NULL, (size_t)k->nargs * sizeof *k->argparam);
    for (int i = 0; i < k->nargs; i++)
        k->argparam[i] = param_named(L, w->fn, clang_Cursor_getArgument(c, (unsigned)i));
}

static void check_call(walk_t *w, CXCursor c)
{
    CXCursor callee = clang_getCursorReferenced(c);
    if (clang_getCursorKind(callee) != CXCursor_FunctionDecl) {
        report(w->L, c, "function-pointer", "call through a function pointer");
        return;
    }
    char *name = cxstr(clang_getCursorSpelling(callee)), *usr = cxstr(clang_getCursorUSR(callee));
    int fn = find_fn(w->L, usr);
    if (is_dyn_fn(name))
        report(w->L, c, "dynamic-memory", "call to '%s' (no heap or stack allocation in a kernel)", name);
    else if (fn < 0 && strncmp(name, "__builtin_", 10) != 0)
        report(w->L, c, "external-call", "call to '%s', which has no definition in the checked sources", name);
    if (fn >= 0 && w->fn >= 0)
        record_call(w, c, fn);
    free(name);
    free(usr);
}

/* A function named anywhere but as the callee of a call: its address is taken. */
static void check_fn_ref(walk_t *w, CXCursor c)
{
    CXCursor d = clang_getCursorReferenced(c);
    if (clang_getCursorKind(d) != CXCursor_FunctionDecl)
        return;
    unsigned via;
    int p = parent_frame(w, w->depth - 1, &via);
    if (p >= 0 && clang_getCursorKind(w->st[p].c) == CXCursor_CallExpr && via == 0)
        return;
    char *name = cxstr(clang_getCursorSpelling(d));
    report(w->L, c, "function-pointer", "address of function '%s' taken", name);
    free(name);
}

static enum CXChildVisitResult any_double_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_isExpression(clang_getCursorKind(c)) && is_double(clang_getCursorType(c))) {
        *(int *)d = 1;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

/* An expression of type double where none of its operands is one: where a double starts. */
static void check_double_expr(walk_t *w, CXCursor c)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    if (!is_double(clang_getCursorType(c)))
        return;
    int inner = 0;
    clang_visitChildren(c, any_double_cb, &inner);
    if (inner)
        return;
    if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) {
        CXCursor d = clang_getCursorReferenced(c);
        if (!clang_Cursor_isNull(d) && checked_loc(w->L, d))
            return; /* reported at its declaration */
    }
    char *tx = cxstr(clang_getTypeSpelling(clang_getCursorType(c)));
    if (k == CXCursor_FloatingLiteral)
        report(w->L, c, "double", "%s literal (write it with an f suffix)", tx);
    else if (k == CXCursor_UnexposedExpr)
        report(w->L, c, "double", "implicit conversion to %s", tx);
    else if (k == CXCursor_CStyleCastExpr)
        report(w->L, c, "double", "cast to %s", tx);
    else if (k == CXCursor_CallExpr)
        report(w->L, c, "double", "call returning %s", tx);
    else
        report(w->L, c, "double", "expression of type %s", tx);
    free(tx);
}

/* ---- rule 6: loops ---- */

/* the loops nested in a loop body (their spans), outermost first */
typedef struct {
    span_t s[64];
    int n;
} spans_t;

static int is_loop(enum CXCursorKind k)
{
    return k == CXCursor_ForStmt || k == CXCursor_WhileStmt || k == CXCursor_DoStmt;
}

static enum CXChildVisitResult nested_loops_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    spans_t *sp = d;
    (void)parent;
    if (!is_loop(clang_getCursorKind(c)))
        return CXChildVisit_Recurse;
    if (sp->n < 64)
        sp->s[sp->n++] = span_of(c);
    return CXChildVisit_Continue;
}

/* Does the body hold LOOP_TRIPCOUNT (any case; an identifier as in LP_PRAGMA(HLS
 * LOOP_TRIPCOUNT ...) or "#pragma HLS loop_tripcount", or inside a _Pragma string) outside
 * its nested loops? */
static int has_tripcount(CXCursor body)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(body);
    spans_t nested = {.n = 0};
    span_t own = span_of(body);
    CXToken *t = NULL;
    unsigned nt = 0;
    int found = 0;
    if (is_loop(clang_getCursorKind(body)))
        nested.s[nested.n++] = span_of(body);
    else
        clang_visitChildren(body, nested_loops_cb, &nested);
    clang_tokenize(tu, clang_getCursorExtent(body), &t, &nt);
    for (unsigned i = 0; i < nt && !found; i++) {
        CXTokenKind k = clang_getTokenKind(t[i]);
        if (k != CXToken_Identifier && k != CXToken_Literal)
            continue;
        unsigned off = offset_of(clang_getTokenLocation(tu, t[i])), inside = off < own.beg || off >= own.end;
        for (int j = 0; j < nested.n; j++)
            inside |= off >= nested.s[j].beg && off < nested.s[j].end;
        if (inside)
            continue;
        char *s = cxstr(clang_getTokenSpelling(tu, t[i]));
        found = k == CXToken_Identifier ? strcasecmp(s, "LOOP_TRIPCOUNT") == 0 : strcasestr(s, "LOOP_TRIPCOUNT") != NULL;
        free(s);
    }
    clang_disposeTokens(tu, t, nt);
    return found;
}

/* the parts of a for statement, told apart by where they start in its header */
typedef struct {
    CXCursor init, cond, inc, body;
    unsigned semi1, semi2, rparen;
} for_parts_t;

static enum CXChildVisitResult for_parts_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    for_parts_t *f = d;
    (void)parent;
    unsigned off = span_of(c).beg;
    if (off < f->semi1)
        f->init = c;
    else if (off < f->semi2)
        f->cond = c;
    else if (off < f->rparen)
        f->inc = c;
    else
        f->body = c;
    return CXChildVisit_Continue;
}

/* Split a for statement; 0 if its header could not be read from the tokens. */
static int for_parts(CXCursor c, for_parts_t *f)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    CXToken *t = NULL;
    unsigned nt = 0, depth = 0, nsemi = 0, found = 0;
    *f = (for_parts_t){clang_getNullCursor(), clang_getNullCursor(), clang_getNullCursor(),
                       clang_getNullCursor(), 0, 0, 0};
    if (!written_here(c))
        return 0;
    clang_tokenize(tu, clang_getCursorExtent(c), &t, &nt);
    for (unsigned i = 1; i < nt && !found; i++) {
        char *s = cxstr(clang_getTokenSpelling(tu, t[i]));
        unsigned off = offset_of(clang_getTokenLocation(tu, t[i]));
        if (strcmp(s, "(") == 0)
            depth++;
        else if (strcmp(s, ")") == 0 && --depth == 0)
            f->rparen = off, found = 1;
        else if (strcmp(s, ";") == 0 && depth == 1)
            *(nsemi++ == 0 ? &f->semi1 : &f->semi2) = off;
        free(s);
    }
    clang_disposeTokens(tu, t, nt);
    if (!found || nsemi != 2)
        return 0;
    clang_visitChildren(c, for_parts_cb, f);
    return !clang_Cursor_isNull(f->body);
}

typedef struct {
    CXCursor v[16];
    int n;
} vars_t;

static enum CXChildVisitResult loop_vars_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    vars_t *vs = d;
    (void)parent;
    enum CXCursorKind k = clang_getCursorKind(c);
    CXCursor v = k == CXCursor_VarDecl ? c : k == CXCursor_DeclRefExpr ? clang_getCursorReferenced(c) : clang_getNullCursor();
    enum CXCursorKind vk = clang_getCursorKind(v);
    if ((vk == CXCursor_VarDecl || vk == CXCursor_ParmDecl) && vs->n < 16)
        vs->v[vs->n++] = v;
    return CXChildVisit_Recurse;
}

static int is_loop_var(const vars_t *vs, CXCursor e)
{
    e = strip(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return 0;
    CXCursor d = clang_getCursorReferenced(e);
    for (int i = 0; i < vs->n; i++)
        if (clang_equalCursors(d, vs->v[i]))
            return 1;
    return 0;
}

static int is_int_constant(CXCursor e)
{
    CXEvalResult r = clang_Cursor_Evaluate(e);
    if (!r)
        return 0;
    int ok = clang_EvalResult_getKind(r) == CXEval_Int;
    clang_EvalResult_dispose(r);
    return ok;
}

static enum CXChildVisitResult two_kids_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    CXCursor *k = d;
    (void)parent;
    if (clang_Cursor_isNull(k[0]))
        k[0] = c;
    else
        k[1] = c;
    return CXChildVisit_Continue;
}

/* Is the condition a comparison of a loop variable with an integer constant expression
 * (or a && of which one side is)? */
static int bounded_cond(const vars_t *vs, CXCursor cond)
{
    cond = strip(cond);
    if (clang_getCursorKind(cond) != CXCursor_BinaryOperator)
        return 0;
    char op[8];
    CXCursor k[2] = {clang_getNullCursor(), clang_getNullCursor()};
    operator_of(cond, op, sizeof op);
    clang_visitChildren(cond, two_kids_cb, k);
    if (strcmp(op, "&&") == 0)
        return bounded_cond(vs, k[0]) || bounded_cond(vs, k[1]);
    if (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">=") && strcmp(op, "!="))
        return 0;
    return (is_loop_var(vs, k[0]) && is_int_constant(k[1])) || (is_loop_var(vs, k[1]) && is_int_constant(k[0]));
}

static int for_is_bounded(CXCursor c)
{
    for_parts_t f;
    vars_t vs = {.n = 0};
    if (!for_parts(c, &f) || clang_Cursor_isNull(f.cond))
        return 0;
    if (!clang_Cursor_isNull(f.init)) {
        if (clang_getCursorKind(f.init) == CXCursor_DeclStmt)
            clang_visitChildren(f.init, loop_vars_cb, &vs);
        else
            loop_vars_cb(strip(first_child(strip(f.init))), f.init, &vs);
    }
    if (!clang_Cursor_isNull(f.inc))
        clang_visitChildren(f.inc, loop_vars_cb, &vs), loop_vars_cb(f.inc, c, &vs);
    return bounded_cond(&vs, f.cond);
}

static enum CXChildVisitResult last_child_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    *(CXCursor *)d = c;
    return CXChildVisit_Continue;
}

static void check_loop(walk_t *w, CXCursor c)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    CXCursor body = clang_getNullCursor();
    if (k == CXCursor_ForStmt && for_is_bounded(c))
        return;
    if (k == CXCursor_DoStmt)
        body = first_child(c);
    else
        clang_visitChildren(c, last_child_cb, &body);
    if (!clang_Cursor_isNull(body) && has_tripcount(body))
        return;
    const char *what = k == CXCursor_ForStmt ? "for" : k == CXCursor_WhileStmt ? "while" : "do";
    report(w->L, c, "unbounded-loop", "%s loop has no constant trip bound and no LOOP_TRIPCOUNT pragma in its body%s",
           what, !written_here(c) ? " (it is written in a macro, whose header hlslint cannot read)" : "");
}

/* ---- the checks of pass 1 (every rule but recursion and the ports) ---- */

static void on_node(walk_t *w, CXCursor c)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    switch (k) {
    case CXCursor_FunctionDecl:
    case CXCursor_VarDecl:
    case CXCursor_ParmDecl:
    case CXCursor_FieldDecl:
    case CXCursor_TypedefDecl:
        check_decl(w, c);
        return;
    case CXCursor_CallExpr:
        check_call(w, c);
        break;
    case CXCursor_DeclRefExpr:
        check_fn_ref(w, c);
        break;
    case CXCursor_ForStmt:
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
        check_loop(w, c);
        return;
    default:
        break;
    }
    if (clang_isExpression(k))
        check_double_expr(w, c);
}

/* ---- rule 7: m_axi ports ---- */

static int port_index(walk_t *w, CXCursor ref)
{
    fn_t *f = &w->L->fns[w->fn];
    CXCursor d = clang_getCursorReferenced(ref);
    for (int i = 0; i < f->nparams; i++)
        if (f->port[i] && clang_equalCursors(d, clang_Cursor_getArgument(f->cur, (unsigned)i)))
            return i;
    return -1;
}

/* What arithmetic does the use of a port at frame i do ("" for none)? */
static const char *port_use(walk_t *w, int i, char *op, size_t n)
{
    unsigned via;
    int p = parent_frame(w, i, &via);
    if (p < 0)
        return "";
    CXCursor pc = w->st[p].c;
    enum CXCursorKind k = clang_getCursorKind(pc);
    if (k == CXCursor_CStyleCastExpr && clang_getCanonicalType(clang_getCursorType(pc)).kind == CXType_Pointer)
        return port_use(w, p, op, n); /* (char *)p + 1 is arithmetic on p too */
    operator_of(pc, op, n);
    if (k == CXCursor_BinaryOperator && (strcmp(op, "+") == 0 || strcmp(op, "-") == 0))
        return op;
    if (k == CXCursor_CompoundAssignOperator && via == 0 && (strcmp(op, "+=") == 0 || strcmp(op, "-=") == 0))
        return op;
    if (k == CXCursor_UnaryOperator && (strcmp(op, "++") == 0 || strcmp(op, "--") == 0))
        return op;
    if (k == CXCursor_CStyleCastExpr && is_integer_type(clang_getCursorType(pc)))
        return "a cast to an integer";
    if (k == CXCursor_ArraySubscriptExpr && via == 0) {
        int q = parent_frame(w, p, NULL);
        if (q >= 0 && clang_getCursorKind(w->st[q].c) == CXCursor_UnaryOperator) {
            operator_of(w->st[q].c, op, n);
            if (strcmp(op, "&") == 0)
                return "&p[i]";
        }
    }
    return "";
}

static void on_port_node(walk_t *w, CXCursor c)
{
    if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
        return;
    int pi = port_index(w, c);
    if (pi < 0)
        return;
    char op[8];
    const char *what = port_use(w, w->depth - 1, op, sizeof op);
    if (!*what)
        return;
    char *name = cxstr(clang_getCursorSpelling(c));
    report(w->L, c, "maxi-pointer-arith", "pointer arithmetic (%s) on m_axi port '%s': index it instead", what, name);
    free(name);
}

/* Mark the tops' pointer parameters as ports, then every callee parameter a port is
 * passed to directly, until nothing changes; then check every function with ports. */
static int check_ports(lint_t *L)
{
    for (int t = 0; t < L->o.ntops; t++) {
        int f = -1;
        for (int i = 0; i < L->nfns && f < 0; i++)
            if (strcmp(L->fns[i].name, L->o.tops[t]) == 0)
                f = i;
        if (f < 0) {
            fprintf(stderr, "hlslint: --top %s: no such function defined in the checked files\n", L->o.tops[t]);
            return 0;
        }
        for (int i = 0; i < L->fns[f].nparams; i++) {
            CXType pt = clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(L->fns[f].cur, (unsigned)i)));
            L->fns[f].port[i] = pt.kind == CXType_Pointer;
        }
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < L->ncalls; i++) {
            call_t *k = &L->calls[i];
            for (int a = 0; a < k->nargs && a < L->fns[k->callee].nparams; a++)
                if (k->argparam[a] >= 0 && L->fns[k->caller].port[k->argparam[a]] && !L->fns[k->callee].port[a])
                    L->fns[k->callee].port[a] = 1, changed = 1;
        }
    }
    for (int f = 0; f < L->nfns; f++)
        if (memchr(L->fns[f].port, 1, (size_t)L->fns[f].nparams))
            walk(L, f, L->fns[f].cur, on_port_node);
    return 1;
}

/* ---- rule 1: recursion ---- */

/* Can function `from` reach function `to` through the recorded calls? */
static int reaches(lint_t *L, int from, int to, char *seen)
{
    if (from == to)
        return 1;
    if (seen[from])
        return 0;
    seen[from] = 1;
    for (int i = 0; i < L->ncalls; i++)
        if (L->calls[i].caller == from && reaches(L, L->calls[i].callee, to, seen))
            return 1;
    return 0;
}

/* Every call that lies on a cycle of the call graph (its callee reaches its caller). */
static void check_recursion(lint_t *L)
{
    char *seen = xrealloc(NULL, (size_t)L->nfns + 1);
    for (int i = 0; i < L->ncalls; i++) {
        call_t *k = &L->calls[i];
        memset(seen, 0, (size_t)L->nfns + 1);
        if (!reaches(L, k->callee, k->caller, seen))
            continue;
        GROW(L->v, L->nv, L->capv);
        char buf[300];
        snprintf(buf, sizeof buf, "call from '%s' to '%s' is on a call cycle%s", L->fns[k->caller].name,
                 L->fns[k->callee].name, k->caller == k->callee ? " (self-recursion)" : "");
        L->v[L->nv++] = (viol_t){xstrdup(k->file ? k->file : "<unknown>"), k->line, k->col, "recursion", xstrdup(buf)};
    }
    free(seen);
}

/* ---- the driver ---- */

/* A bad command line: one line on stderr. */
static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "hlslint: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (usage: hlslint [--top FUNC]... [--root DIR]... FILE.c... [-- CLANG_ARGS...])\n");
    return 0;
}

static int parse_opts(int argc, char **argv, opts_t *o)
{
    *o = (opts_t){0};
    o->tops = xrealloc(NULL, (size_t)argc * sizeof *o->tops);
    o->roots = xrealloc(NULL, (size_t)argc * sizeof *o->roots);
    o->files = xrealloc(NULL, (size_t)argc * sizeof *o->files);
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char real[PATH_MAX];
        if (strcmp(argv[i], "--top") == 0 || strcmp(argv[i], "--root") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0')
                return usage("%s needs a value", argv[i]);
            if (argv[i][2] == 't')
                o->tops[o->ntops++] = argv[++i];
            else if (realpath(argv[++i], real))
                o->roots[o->nroots++] = xstrdup(real);
            else
                return usage("--root %s: no such folder", argv[i]);
        } else if (argv[i][0] == '-') {
            return usage("unknown option '%s'", argv[i]);
        } else {
            o->files[o->nfiles++] = argv[i];
        }
    }
    if (o->nfiles == 0)
        return usage("no input file%s", "");
    o->cargs = (const char **)argv + i + (i < argc);
    o->ncargs = argc - i - (i < argc);
    return 1;
}

/* Parse one file; on failure print clang's diagnostics and return NULL. */
static CXTranslationUnit parse_file(lint_t *L, const char *file)
{
    FILE *fp = fopen(file, "r");
    if (!fp) {
        fprintf(stderr, "hlslint: %s: %s\n", file, strerror(errno));
        return NULL;
    }
    fclose(fp);
    int n = L->o.ncargs + 3;
    const char **args = xrealloc(NULL, (size_t)n * sizeof *args);
    args[0] = "-xc";
    args[1] = "-std=c11";
    args[2] = "-Wno-unknown-pragmas";
    memcpy(args + 3, L->o.cargs, (size_t)L->o.ncargs * sizeof *args);
    CXTranslationUnit tu = NULL;
    enum CXErrorCode e = clang_parseTranslationUnit2(L->index, file, args, n, NULL, 0, CXTranslationUnit_None, &tu);
    free(args);
    if (e != CXError_Success || !tu) {
        fprintf(stderr, "hlslint: %s: cannot parse (libclang error %d)\n", file, (int)e);
        return NULL;
    }
    int errors = 0;
    unsigned nd = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        errors |= clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
        clang_disposeDiagnostic(d);
    }
    for (unsigned i = 0; errors && i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        char *s = cxstr(clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions()));
        fprintf(stderr, "%s\n", s);
        free(s);
        clang_disposeDiagnostic(d);
    }
    if (errors) {
        fprintf(stderr, "hlslint: %s does not parse\n", file);
        clang_disposeTranslationUnit(tu);
        return NULL;
    }
    return tu;
}

/* Pass 0: every function defined in checked code, once (a header's inline function is
 * seen by every file that includes it). */
static enum CXChildVisitResult collect_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    lint_t *L = d;
    (void)parent;
    if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c) || !checked_loc(L, c))
        return CXChildVisit_Continue;
    char *usr = cxstr(clang_getCursorUSR(c));
    if (find_fn(L, usr) >= 0) {
        free(usr);
        return CXChildVisit_Continue;
    }
    GROW(L->fns, L->nfns, L->capfns);
    fn_t *f = &L->fns[L->nfns++];
    f->usr = usr;
    f->name = cxstr(clang_getCursorSpelling(c));
    f->cur = c;
    f->nparams = clang_Cursor_getNumArguments(c) < 0 ? 0 : clang_Cursor_getNumArguments(c);
    f->port = xrealloc(NULL, (size_t)f->nparams + 1);
    memset(f->port, 0, (size_t)f->nparams + 1);
    return CXChildVisit_Continue;
}

/* Pass 1 over the file-scope declarations other than function definitions. */
static enum CXChildVisitResult file_scope_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    lint_t *L = d;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c))
        return CXChildVisit_Continue;
    if (checked_loc(L, c))
        walk(L, -1, c, on_node);
    return CXChildVisit_Continue;
}

int main(int argc, char **argv)
{
    static lint_t L;
    if (!parse_opts(argc, argv, &L.o))
        return 2;
    if (!getcwd(L.cwd, sizeof L.cwd))
        L.cwd[0] = 0;
    L.index = clang_createIndex(0, 0);
    L.tus = xrealloc(NULL, (size_t)L.o.nfiles * sizeof *L.tus);
    for (int i = 0; i < L.o.nfiles; i++)
        if (!(L.tus[i] = parse_file(&L, L.o.files[i])))
            return 2;
    for (int i = 0; i < L.o.nfiles; i++)
        clang_visitChildren(clang_getTranslationUnitCursor(L.tus[i]), collect_cb, &L);
    for (int i = 0; i < L.o.nfiles; i++)
        clang_visitChildren(clang_getTranslationUnitCursor(L.tus[i]), file_scope_cb, &L);
    for (int f = 0; f < L.nfns; f++)
        walk(&L, f, L.fns[f].cur, on_node);
    check_recursion(&L);
    if (!check_ports(&L))
        return 2;
    int n = print_violations(&L);
    fflush(stdout); /* the count after the list when both go to one terminal or log */
    if (n > 0)
        fprintf(stderr, "hlslint: %d violation%s\n", n, n == 1 ? "" : "s");
    return n > 0;
}
