/* hlslint test: does not parse (a missing semicolon): hlslint exits 2 with clang's error. */
float top(float x)
{
    float y = x + 1.0f
    return y;
}
