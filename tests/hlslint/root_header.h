/* hlslint test: a header with a violation, checked only under --root (test_hlslint.sh). */
#ifndef ROOT_HEADER_H
#define ROOT_HEADER_H

static inline float root_sum(const float *v, unsigned n)
{
    float s = 0.0f;
    for (unsigned i = 0; i < n; i++)
        s = s + v[i];
    return s;
}

#endif
