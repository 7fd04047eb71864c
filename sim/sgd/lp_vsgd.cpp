// lp_vsgd.cpp - Verilator harness of the SGD step engine (rtl/sgd/lp_sgd_step.sv) behind
// lp_vsgd.h. A cycle: drive the inputs with clk_i low, settle, sample the handshake
// (in_ready_o comes from registers), then the rising edge.
#include "lp_vsgd.h"

#include <cstdio>
#include <cstring>
#include <memory>

#include "Vlp_sgd_step.h"
#include "../lp_vmodel.h"
#include "verilated.h"
#include "verilated_fst_c.h"

extern "C" {
#include "format/lp_format.h"
#include "quant/lp_quant.h"
#include "sgd/lp_sgd.h"
#include "../quant/lp_vq_regs.h"
}

namespace {
constexpr unsigned kMaxBeats = 512;
#ifndef LP_VSGD_CLASSES
#define LP_VSGD_CLASSES 1 // the engine's Classes parameter (sim/sgd/sgd.mk LP_VSGD_CLASSES)
#endif
constexpr unsigned kClasses = LP_VSGD_CLASSES;
} // namespace

struct lp_vsgd {
    lp_vmodel<Vlp_sgd_step> m; // the model in its own context (sim/lp_vmodel.h)
    std::unique_ptr<VerilatedFstC> tfp;
    uint64_t t = 0;
    float state[LP_SGD_STATE_WORDS] = {1.0f};

    explicit lp_vsgd(bool trace) : m("lp_sgd_step", trace) {}

    void tick()
    {
        m->clk_i = 0;
        m->eval();
        if (tfp)
            tfp->dump(2 * t);
        m->clk_i = 1;
        m->eval();
        if (tfp)
            tfp->dump(2 * t + 1);
        t++;
        m->qreg_we_i = 0;
        m->mw_we_i = 0;
        m->start_i = 0;
        m->in_valid_i = 0;
    }
    void qreg(unsigned a, uint32_t v)
    {
        m->qreg_we_i = 1;
        m->qreg_addr_i = a;
        m->qreg_wdata_i = v;
        tick();
    }
};

extern "C" {

lp_vsgd_t *lp_vsgd_open(const char *trace, char *err, size_t errlen)
{
    lp_vsgd_t *v = new (std::nothrow) lp_vsgd(trace != nullptr);
    if (!v) {
        snprintf(err, errlen, "verilator: out of memory");
        return nullptr;
    }
    if (trace) {
        v->tfp.reset(new VerilatedFstC);
        v->m->trace(v->tfp.get(), 99);
        v->tfp->open(trace);
        if (!v->tfp->isOpen()) {
            snprintf(err, errlen, "verilator: cannot write the waveform '%s'", trace);
            delete v;
            return nullptr;
        }
    }
    v->m->rst_i = 1;
    for (int i = 0; i < 4; i++)
        v->tick();
    v->m->rst_i = 0;
    v->tick();
    return v;
}

int lp_vsgd_supported(const uint32_t *cfg, const char **why)
{
    *why = "";
    uint32_t model = cfg[LP_CFG_MODEL];
    if (model == LP_MODEL_SOFTMAX && cfg[LP_CFG_K] > kClasses)
        *why = kClasses < 2 ? "this build of the RTL step engine runs K = 1 models only (softmax: build with "
                              "make LP_VSGD_CLASSES=16, docs/rtl-sgd.md)"
                            : "this build of the RTL step engine holds fewer classes (make LP_VSGD_CLASSES=16)";
    else if (cfg[LP_CFG_D] / 16 > kMaxBeats)
        *why = "the RTL step engine holds D <= 8192";
    else if (cfg[LP_CFG_SCHED] != LP_SCHED_CONST || (cfg[LP_CFG_OPTIONS] & LP_CFG_COMPENSATE))
        *why = "the RTL step engine runs the constant stepsize without --compensate so far";
    return **why ? -1 : 0;
}

int lp_vsgd_run(lp_vsgd_t *v, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                uint32_t nsteps, uint32_t step0, uint32_t flags, lp_vsgd_perf_t *perf)
{
    const char *why;
    if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK)
        return LP_SGD_EBADCFG;
    if (lp_vsgd_supported(cfg, &why) != 0)
        return -1;
    Vlp_sgd_step &m = *v->m;
    const uint32_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH], nb = D / 16,
                   rw = LP_SGD_ROW_WORDS(D);

    // element c*D + j of the model is lane j%16 of beat j/16 in class c's bank
    if (flags & LP_SGD_FLAG_LOAD) {
        for (uint32_t c = 0; c < K; c++) {
            for (uint32_t b = 0; b < nb; b++) {
                m.mw_we_i = 1;
                m.mw_class_i = c;
                m.mw_addr_i = b;
                for (unsigned l = 0; l < 16; l++) {
                    uint32_t u;
                    std::memcpy(&u, &model[c * D + b * 16 + l], 4);
                    m.mw_data_i[l] = u;
                }
                v->tick();
            }
        }
        std::memcpy(v->state, model + K * D, sizeof v->state);
    }

    // the quantizer's registers: one definition of the words (sim/quant/lp_vq_regs.h)
    const lp_qcfg_t qc = lp_sgd_cfg_qcfg(cfg);
    lp_fmt_params_t p;
    lp_format_derive(&qc.fmt, &p, &why);
    uint32_t qw[LP_VQ_NWORDS];
    lp_vq_reg_words(&p, &qc, step0, 0, qw);
    for (unsigned a = 0; a < LP_VQ_NWORDS; a++)
        v->qreg(a, qw[a]);

    m.model_i = cfg[LP_CFG_MODEL];
    m.nbeats_i = nb;
    m.batch_i = B;
    m.lambda_i = cfg[LP_CFG_LAMBDA];
    m.nclass_i = cfg[LP_CFG_K];
    m.mu_i = cfg[LP_CFG_LR];
    m.mu_valid_i = 0;

    for (uint32_t s = 0; s < nsteps; s++) {
        const uint32_t k = step0 + s;
        v->qreg(LP_VQ_R_STEP, k);
        for (int i = 0; i < 3; i++) // the SR hash of seed and step settles through 2 registers
            v->tick();
        const uint32_t *rows = data + (uint64_t)s * B * rw;
        m.start_i = 1;
        v->tick();
        // the rows' feature beats, the label (header word 0) beside each row's first beat:
        // the split the kernel's lp_row_split does before the engine
        uint64_t t0 = v->t, beat = 0, total = (uint64_t)B * nb, tg = 0;
        uint64_t guard = t0 + 64 * total + 100000;
        // the stepsize handshake: mu_valid_i rises a few cycles after st_valid_o (as the
        // scalar unit's would), so the step's wait in its statistics phase is exercised
        unsigned nst = 0, mu_wait = 0;
        m.mu_valid_i = 0;
        while (!m.done_o) {
            if (beat < total) {
                uint64_t r = beat / nb, bt = beat % nb;
                const uint32_t *src = rows + r * rw + 16 + bt * 16;
                m.in_valid_i = 1;
                m.in_label_i = rows[r * rw];
                for (unsigned l = 0; l < 16; l++)
                    m.in_data_i[l] = src[l];
                m.clk_i = 0;
                m.eval();
                if (m.in_ready_o && ++beat == total)
                    tg = v->t + 1 - t0;
            }
            m.clk_i = 0;
            m.eval();
            if (m.st_valid_o) {
                nst++;
                mu_wait = 3;
            } else if (mu_wait && --mu_wait == 0) {
                m.mu_valid_i = 1;
            }
            v->tick();
            if (v->t > guard) {
                fprintf(stderr, "lp_vsgd: step %u did not finish (RTL hang)\n", k);
                return -1;
            }
        }
        m.mu_valid_i = 0;
        if (nst != 1) {
            fprintf(stderr, "lp_vsgd: step %u: st_valid_o pulsed %u times (expected once)\n", k, nst);
            return -1;
        }
        lp_sgd_rec_t rec;
        std::memset(&rec, 0, sizeof rec);
        rec.step = k;
        std::memcpy(&rec.lr, &cfg[LP_CFG_LR], 4);
        for (int i = 0; i < 4; i++) {
            uint32_t u = m.st_sum_o[i];
            std::memcpy(&rec.sum[i], &u, 4);
        }
        rec.n = m.st_count_o[0];
        rec.underflow = m.st_count_o[1];
        rec.saturated = m.st_count_o[2];
        rec.subnormal = m.st_count_o[3];
        rec.nan = m.st_count_o[4];
        rec.inf = m.st_count_o[5];
        rec.q_hat = v->state[0];
        uint32_t lw = m.loss_o;
        std::memcpy(&rec.loss, &lw, 4);
        rec.correct = m.correct_o;
        rec.scale_k = (int32_t)m.scale_k_o;
        std::memcpy(stats + (uint64_t)s * LP_SGD_REC_WORDS, &rec, sizeof rec);
        if (perf) {
            perf->cycles += v->t - t0;
            perf->beats += total;
            perf->grad_cycles += tg;
        }
        v->tick();
    }

    if (flags & LP_SGD_FLAG_STORE) {
        for (uint32_t c = 0; c < K; c++) {
            for (uint32_t b = 0; b < nb; b++) {
                m.mr_class_i = c;
                m.mr_addr_i = b;
                v->tick();
                m.clk_i = 0;
                m.eval();
                for (unsigned l = 0; l < 16; l++) {
                    uint32_t u = m.mr_data_o[l];
                    std::memcpy(&model[c * D + b * 16 + l], &u, 4);
                }
            }
        }
        std::memcpy(model + K * D, v->state, sizeof v->state);
    }
    return 0;
}

void lp_vsgd_close(lp_vsgd_t *v)
{
    if (!v)
        return;
    v->m->final();
    if (v->tfp)
        v->tfp->close();
    delete v;
}

} // extern "C"
