// lp_vquant.cpp - Verilator harness of the stream quantizer behind the C ABI of lp_vquant.h.
//
// One template drives both Verilated builds of lp_quant_stream: Vlp_quant (with the FP32
// sums of the statistics, FST tracing compiled in) and Vlp_quant_cnt (StatsSums = 0: the
// counts only, for the exhaustive runs). A cycle: drive the inputs with clk_i low, settle,
// sample the handshakes (ready and valid come from registers), then the rising edge.
#include "lp_vquant.h"
#include "lp_vq_regs.h"

#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>

#include "Vlp_quant.h"
#include "Vlp_quant_cnt.h"
#include "../lp_vmodel.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

struct beat {
    uint32_t value[LP_VQ_LANES];
    uint32_t code[LP_VQ_LANES];
    int32_t k;
    unsigned count;
    int last;
};

struct model_base {
    uint64_t cycles = 0;
    uint64_t outstanding = 0; // beats pushed and not yet out
    uint64_t first_in = 0, lat = 0;
    bool timing = false;
    std::deque<beat> q;
    bool st_ready = false;
    lp_qstats_t st{};
    virtual ~model_base() = default;
    // one clock cycle with the given input beat (valid = 0: none); returns whether accepted
    virtual bool cycle(bool valid, const uint32_t *x, unsigned count, bool last) = 0;
    virtual void write_reg(unsigned addr, uint32_t v) = 0;
    // LP_SCALE_TENSOR on chip: hand the tensor's amax to tk_amax_i; returns the SCALE_K the
    // quantizer computed from it (tensor_k_o)
    virtual int32_t tensor_k(uint32_t amax) = 0;
};

template <class M, bool Traced> struct model final : model_base {
    lp_vmodel<M> m;
    std::unique_ptr<VerilatedFstC> tfp;

    model(const char *trace) : m{"lp_quant_stream", trace != nullptr}
    {
        if constexpr (Traced) {
            if (trace) {
                tfp.reset(new VerilatedFstC);
                m->trace(tfp.get(), 99);
                tfp->open(trace);
            }
        }
        m->clk_i = 0;
        m->rst_i = 1;
        m->reg_we_i = 0;
        m->in_valid_i = 0;
        m->out_ready_i = 1;
        for (int i = 0; i < 4; i++)
            cycle(false, nullptr, 0, false);
        m->rst_i = 0;
        cycle(false, nullptr, 0, false);
    }

    ~model() override
    {
        m->final();
        if (tfp)
            tfp->close();
    }

    bool cycle(bool valid, const uint32_t *x, unsigned count, bool last) override
    {
        m->in_valid_i = valid;
        if (valid) {
            for (unsigned l = 0; l < LP_VQ_LANES; l++)
                m->in_data_i[l] = l < count ? x[l] : 0u;
            m->in_keep_i = (uint16_t)((1u << count) - 1u);
            m->in_last_i = last;
        }
        m->clk_i = 0;
        m->eval();
        if (tfp)
            tfp->dump(2 * cycles);
        bool acc = valid && m->in_ready_o;
        if (acc) {
            if (outstanding == 0 && !timing) {
                timing = true;
                first_in = cycles;
            }
            outstanding++;
        }
        if (m->out_valid_o) {
            beat b;
            unsigned keep = m->out_keep_o, n = 0;
            while (n < LP_VQ_LANES && ((keep >> n) & 1u))
                n++;
            for (unsigned l = 0; l < LP_VQ_LANES; l++) {
                b.value[l] = m->out_value_o[l];
                b.code[l] = m->out_code_o[l];
            }
            b.k = (int16_t)m->out_k_o;
            b.count = n;
            b.last = m->out_last_o;
            q.push_back(b);
            outstanding--;
            if (timing) {
                timing = false;
                lat = cycles - first_in;
            }
        }
        if (m->st_valid_o) {
            for (int i = 0; i < LP_NSUMS; i++) {
                uint32_t u = m->st_sum_o[i];
                std::memcpy(&st.sum[i], &u, 4);
            }
            st.n = m->st_count_o[0];
            st.underflow = m->st_count_o[1];
            st.saturated = m->st_count_o[2];
            st.subnormal = m->st_count_o[3];
            st.nan = m->st_count_o[4];
            st.inf = m->st_count_o[5];
            st_ready = true;
        }
        m->clk_i = 1;
        m->eval();
        if (tfp)
            tfp->dump(2 * cycles + 1);
        cycles++;
        m->in_valid_i = 0;
        m->reg_we_i = 0;
        return acc;
    }

    int32_t tensor_k(uint32_t amax) override
    {
        m->tk_we_i = 1;
        m->tk_amax_i = amax;
        cycle(false, nullptr, 0, false);
        m->tk_we_i = 0;
        for (int i = 0; i < 2; i++) // registered, then written into SCALE_K
            cycle(false, nullptr, 0, false);
        return (int32_t)m->tensor_k_o;
    }

    void write_reg(unsigned addr, uint32_t v) override
    {
        m->reg_we_i = 1;
        m->reg_addr_i = addr;
        m->reg_wdata_i = v;
        cycle(false, nullptr, 0, false);
    }
};

} // namespace

struct lp_vq {
    std::unique_ptr<model_base> m;
};

extern "C" {

lp_vq_t *lp_vq_open(const lp_vq_opts_t *opts, char *err, size_t errlen)
{
    lp_vq_t *vq = new (std::nothrow) lp_vq;
    if (!vq) {
        snprintf(err, errlen, "verilator: out of memory");
        return nullptr;
    }
    const char *trace = opts ? opts->trace : nullptr;
    if (opts && opts->counts_only) {
        if (trace) {
            snprintf(err, errlen, "verilator: the counts-only build has no waveform tracing");
            delete vq;
            return nullptr;
        }
        vq->m.reset(new model<Vlp_quant_cnt, false>(nullptr));
    } else {
        if (trace) {
            FILE *f = fopen(trace, "wb");
            if (!f) {
                snprintf(err, errlen, "verilator: cannot write the waveform '%s'", trace);
                delete vq;
                return nullptr;
            }
            fclose(f);
        }
        vq->m.reset(new model<Vlp_quant, true>(trace));
    }
    return vq;
}

void lp_vq_configure(lp_vq_t *vq, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, int32_t k)
{
    model_base &m = *vq->m;
    uint32_t w[LP_VQ_NWORDS];
    lp_vq_reg_words(p, cfg, step, k, w);
    for (unsigned a = 0; a < LP_VQ_NWORDS; a++)
        m.write_reg(a, w[a]);
    for (int i = 0; i < 3; i++) // the SR hash of seed and step settles through 2 registers
        m.cycle(false, nullptr, 0, false);
}

void lp_vq_push(lp_vq_t *vq, const uint32_t *x, unsigned count, int last)
{
    model_base &m = *vq->m;
    m.st_ready = false;
    while (!m.cycle(true, x, count, last != 0)) {
    }
}

int lp_vq_pull(lp_vq_t *vq, uint32_t *value, uint32_t *code, int32_t *k, unsigned *count, int *last)
{
    model_base &m = *vq->m;
    while (m.q.empty()) {
        if (m.outstanding == 0)
            return 0;
        m.cycle(false, nullptr, 0, false);
    }
    const beat &b = m.q.front();
    std::memcpy(value, b.value, sizeof b.value);
    std::memcpy(code, b.code, sizeof b.code);
    *k = b.k;
    *count = b.count;
    *last = b.last;
    m.q.pop_front();
    return 1;
}

void lp_vq_stats(lp_vq_t *vq, lp_qstats_t *st)
{
    model_base &m = *vq->m;
    while (!m.st_ready)
        m.cycle(false, nullptr, 0, false);
    *st = m.st;
}

void lp_vq_quantize(lp_vq_t *vq, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, const float *g,
                    float *gq, uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st)
{
    model_base &m = *vq->m;
    lp_vq_configure(vq, p, cfg, step, 0);
    if (cfg->scale == LP_SCALE_TENSOR) {
        // amax needs the whole tensor first: the pass ahead is the driver's (the SGD step
        // makes it with rtl/quant/lp_amax); the quantizer computes k from it
        int32_t k = m.tensor_k(lp_amax_bits(g, n));
        if (scale_k)
            scale_k[0] = k;
    }
    if (n == 0) { // no beat, no last: the statistics of an empty vector
        std::memset(st, 0, sizeof *st);
        return;
    }
    const uint32_t nbeats = (n + LP_VQ_LANES - 1) / LP_VQ_LANES;
    uint32_t in = 0, out = 0;
    m.st_ready = false;
    while (out < nbeats) {
        if (in < nbeats) {
            uint32_t x[LP_VQ_LANES];
            unsigned cnt = n - in * LP_VQ_LANES < LP_VQ_LANES ? n - in * LP_VQ_LANES : LP_VQ_LANES;
            std::memcpy(x, g + (size_t)in * LP_VQ_LANES, cnt * 4u);
            if (m.cycle(true, x, cnt, in + 1 == nbeats))
                in++;
        } else {
            m.cycle(false, nullptr, 0, false);
        }
        while (!m.q.empty()) {
            const beat &b = m.q.front();
            size_t base = (size_t)out * LP_VQ_LANES;
            std::memcpy(gq + base, b.value, b.count * 4u);
            if (codes)
                std::memcpy(codes + base, b.code, b.count * 4u);
            if (scale_k && cfg->scale == LP_SCALE_BLOCK32 && (out * LP_VQ_LANES) % LP_MX_BLOCK == 0)
                scale_k[base / LP_MX_BLOCK] = b.k;
            m.q.pop_front();
            out++;
        }
    }
    while (!m.st_ready)
        m.cycle(false, nullptr, 0, false);
    *st = m.st;
}

uint64_t lp_vq_cycles(const lp_vq_t *vq) { return vq->m->cycles; }

unsigned lp_vq_latency(lp_vq_t *vq) { return (unsigned)vq->m->lat; }

void lp_vq_close(lp_vq_t *vq) { delete vq; }

} // extern "C"
