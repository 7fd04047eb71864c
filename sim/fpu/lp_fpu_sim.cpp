// lp_fpu_sim.cpp - Verilator harness behind the C ABI of lp_fpu_sim.h.
//
// One template drives every FP unit build: they share the ports clk_i, en_i, a_i, b_i
// (absent in unary units), y_o. A result is read after the rising edge that completes its
// Latency-th enabled cycle (before the edge for Latency 0, where y_o is combinational).
#include "lp_fpu_sim.h"

#include <cstring>
#include <memory>
#include <type_traits>

#include "../lp_vmodel.h"
#include "verilated.h"
#include "lp_fpu_models.h"  // generated: #include "V<module>_L<latency>.h" per build

namespace {

// splitmix64: the stall pattern and the garbage operands of stalled cycles
uint64_t mix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// b_i exists only in binary units
template <class M, class = void> struct has_b : std::false_type {};
template <class M> struct has_b<M, decltype((void)M::b_i, void())> : std::true_type {};

template <class M> void set_b(M &m, uint32_t b)
{
    if constexpr (has_b<M>::value) m.b_i = b;
    else (void)m, (void)b;
}

struct unit_base {
    int latency = 0;
    unsigned stall_permille = 0;
    uint64_t stall_state = 0;
    uint64_t cycles = 0;
    virtual ~unit_base() = default;
    virtual size_t run(const uint32_t *a, const uint32_t *b, uint32_t *y, size_t n) = 0;
};

template <class M> struct unit final : unit_base {
    lp_vmodel<M> m{"top"};

    explicit unit(int lat)
    {
        latency = lat;
        m->clk_i = 0;
        m->en_i = 0;
        m->a_i = 0;
        set_b(*m, 0);
        m->eval();
    }
    ~unit() override { m->final(); }

    void edge()
    {
        m->clk_i = 1;
        m->eval();
        m->clk_i = 0;
        m->eval();
        cycles++;
    }

    bool stall_now()
    {
        return stall_permille && (mix64(&stall_state) % 1000u) < stall_permille;
    }

    size_t run(const uint32_t *a, const uint32_t *b, uint32_t *y, size_t n) override
    {
        size_t bad_holds = 0;
        const size_t total = n + (latency > 0 ? (size_t)latency - 1 : 0);
        for (size_t i = 0; i < total; i++) {
            while (stall_now()) {
                uint32_t before = m->y_o;
                uint64_t g = mix64(&stall_state);
                m->en_i = 0;
                m->a_i = (uint32_t)g;
                set_b(*m, (uint32_t)(g >> 32));
                edge();
                if (latency > 0 && m->y_o != before) bad_holds++;
            }
            m->en_i = 1;
            m->a_i = i < n ? a[i] : 0;
            set_b(*m, (i < n && b) ? b[i] : 0);
            if (latency == 0) {
                m->eval();
                y[i] = m->y_o;
                edge();
            } else {
                edge();
                if (i + 1 >= (size_t)latency) y[i + 1 - latency] = m->y_o;
            }
        }
        return bad_holds;
    }
};

struct build {
    const char *unit;
    int latency;
    unit_base *(*make)(int latency);
};

template <class M> unit_base *make(int latency) { return new unit<M>(latency); }

#define LP_FPU_MODEL(u, l) {#u, l, &make<V##u##_L##l>},
const build builds[] = {
#include "lp_fpu_models.def"
};
#undef LP_FPU_MODEL

}  // namespace

struct lp_fpu_sim {
    std::unique_ptr<unit_base> u;
};

extern "C" {

lp_fpu_sim *lp_fpu_sim_open(const char *unit_name, int latency)
{
    for (const build &b : builds) {
        if (std::strcmp(b.unit, unit_name) == 0 && (latency < 0 || b.latency == latency)) {
            lp_fpu_sim *s = new lp_fpu_sim;
            s->u.reset(b.make(b.latency));
            return s;
        }
    }
    return nullptr;
}

int lp_fpu_sim_latency(const lp_fpu_sim *s) { return s->u->latency; }

void lp_fpu_sim_set_stalls(lp_fpu_sim *s, unsigned permille, uint64_t seed)
{
    s->u->stall_permille = permille > 900 ? 900 : permille;
    s->u->stall_state = seed;
}

size_t lp_fpu_sim_run_batch(lp_fpu_sim *s, const uint32_t *a, const uint32_t *b, uint32_t *y,
                            size_t n)
{
    return s->u->run(a, b, y, n);
}

uint64_t lp_fpu_sim_cycles(const lp_fpu_sim *s) { return s->u->cycles; }

void lp_fpu_sim_close(lp_fpu_sim *s) { delete s; }

int lp_fpu_sim_build(int i, const char **unit_name, int *latency)
{
    if (i < 0 || (size_t)i >= sizeof builds / sizeof builds[0]) return 0;
    *unit_name = builds[i].unit;
    *latency = builds[i].latency;
    return 1;
}

}  // extern "C"
