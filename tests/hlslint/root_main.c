/* hlslint test: calls a header's function. Without --root the header is not checked code,
 * so the call is an external call; with --root its loop is reported (test_hlslint.sh). */
#include "root_header.h"

float top(const float *v)
{
    return root_sum(v, 4u);
}
