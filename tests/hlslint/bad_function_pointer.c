/* hlslint test: planted function pointers (typedef, field, parameter, variable, address
 * taken, call through a pointer); nothing else. Each planted line carries "PLANT: rule"
 * (test_hlslint.sh reads them; a rule twice: two violations on the line). */
typedef float (*unary_fn)(float);                 /* PLANT: function-pointer */

struct ops {
    float (*apply)(float);                        /* PLANT: function-pointer */
    int n;
};

static float twice(float x)
{
    return x + x;
}

static float apply_all(float (*f)(float), float x) /* PLANT: function-pointer */
{
    return f(x);                                  /* PLANT: function-pointer */
}

float top(float x)
{
    float (*g)(float) = twice;                    /* PLANT: function-pointer function-pointer */
    return apply_all(twice, x) + g(x) + twice(x); /* PLANT: function-pointer function-pointer */
}
