// lp_vkernel.cpp - Verilator harness of the SGD kernel top (rtl/kernel/lp_sgd.sv) behind
// lp_vkernel.h: device memory as one flat array (an ideal memory: bursts cost only the
// harness's own latency), the buffers of a call, the C ABI. The AXI4 slave ports (gmem0
// read only, gmem1), the AXI4-Lite master on s_axi_control, the protocol checks and the
// call sequence are lp_kharness.h's, shared with the virtual card (sim/vcard). A cycle:
// drive the slave outputs (decided after the previous edge, so they behave like
// registers), settle, sample the kernel's outputs and the handshakes, check and update the
// models, then the rising edge.
//
// One harness, several models: kernel.mk verilates the kernel once per Classes value of
// LP_VKERNEL_BUILDS (prefix Vlp_sgd, Vlp_sgd_k16, ...), forces their headers in (-include)
// and lists them in LP_VKERNEL_MODELS as LP_VKERNEL_MODEL(classes, prefix). struct
// lp_vkernel is the model-independent harness (lpk::Harness plus the flat memory);
// Kernel<M> adds what touches the model's ports: drive, sample, clock.
#include "lp_vkernel.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../lp_vmodel.h"
#include "lp_kharness.h"

#include "verilated.h"
#include "verilated_fst_c.h"

extern "C" {
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
}

namespace {
constexpr uint64_t kBase = 0x400000000ull; // device buffers live above 4 GiB (64-bit pointers)
} // namespace

struct lp_vkernel : lpk::Harness, lpk::Mem {
    std::unique_ptr<VerilatedFstC> tfp;
    uint32_t classes = 0; // the model's Classes parameter
    std::vector<uint8_t> mem;
    uint64_t base = kBase; // the device address of mem[0]: this call's

    lp_vkernel() { memp = this; }
    virtual void finish() = 0; // the model's final()

    uint8_t *at(uint64_t addr) { return &mem[addr - base]; }
    void read(uint64_t addr, void *dst64) override { std::memcpy(dst64, at(addr), lpk::kBeat); }
    void write(uint64_t addr, const uint8_t *src, uint64_t strb) override
    {
        uint8_t *dst = at(addr);
        for (unsigned i = 0; i < lpk::kBeat; i++)
            if (strb >> i & 1)
                dst[i] = src[i];
    }
    uint64_t burst(int, uint64_t, unsigned, unsigned *) override { return 0; }
};

namespace {

// the harness on the model M (a Verilated lp_sgd of one Classes value)
template <class M> struct Kernel final : lp_vkernel {
    lp_vmodel<M> m; // the model in its own context (sim/lp_vmodel.h)

    Kernel(uint32_t c, bool trace) : m("lp_sgd", trace) { classes = c; }

    // trace into tfp (opened by the caller)
    void trace_into(VerilatedFstC *f) { m->trace(f, 99); }

    void drive()
    {
        M &k = *m;
        k.ap_rst_n = rst_n;
        // the read side of port p: AR ready, R beat
        auto rd = [&](int p, auto &arready_o, auto &rvalid_o, auto &rlast_o, auto &rresp_o, auto &rdata_o) {
            arready_o = arready[p];
            rvalid_o = rvalid[p];
            rlast_o = rlast[p];
            rresp_o = rresp[p];
            for (int l = 0; l < 16; l++)
                rdata_o[l] = rdata[p][l];
        };
        rd(0, k.m_axi_gmem0_ARREADY, k.m_axi_gmem0_RVALID, k.m_axi_gmem0_RLAST, k.m_axi_gmem0_RRESP,
           k.m_axi_gmem0_RDATA);
        rd(1, k.m_axi_gmem1_ARREADY, k.m_axi_gmem1_RVALID, k.m_axi_gmem1_RLAST, k.m_axi_gmem1_RRESP,
           k.m_axi_gmem1_RDATA);
        k.m_axi_gmem1_AWREADY = awready;
        k.m_axi_gmem1_WREADY = wready;
        k.m_axi_gmem1_BVALID = bvalid;
        k.m_axi_gmem1_BRESP = bresp;
        k.s_axi_control_AWVALID = l_aw;
        k.s_axi_control_AWADDR = l_waddr;
        k.s_axi_control_WVALID = l_w;
        k.s_axi_control_WDATA = l_wdata;
        k.s_axi_control_WSTRB = 0xF;
        k.s_axi_control_BREADY = l_b;
        k.s_axi_control_ARVALID = l_ar;
        k.s_axi_control_ARADDR = l_raddr;
        k.s_axi_control_RREADY = l_r;
    }

    void tick() override
    {
        M &k = *m;
        // the RTL's assertions ($error, --assert) report through the thread's current
        // context: this model's, not that of a kernel opened since
        Verilated::threadContextp(&m.ctx);
        cycle_begin();
        k.ap_clk = 0;
        drive();
        k.eval();
        if (tfp)
            tfp->dump(2 * t);
        read_port(0, {(bool)k.m_axi_gmem0_ARVALID, (uint64_t)k.m_axi_gmem0_ARADDR, k.m_axi_gmem0_ARLEN,
                      k.m_axi_gmem0_ARSIZE, k.m_axi_gmem0_ARBURST, (bool)k.m_axi_gmem0_RREADY});
        read_port(1, {(bool)k.m_axi_gmem1_ARVALID, (uint64_t)k.m_axi_gmem1_ARADDR, k.m_axi_gmem1_ARLEN,
                      k.m_axi_gmem1_ARSIZE, k.m_axi_gmem1_ARBURST, (bool)k.m_axi_gmem1_RREADY});
        write_port({(bool)k.m_axi_gmem1_AWVALID, (bool)k.m_axi_gmem1_WVALID, (bool)k.m_axi_gmem1_BREADY,
                    (uint64_t)k.m_axi_gmem1_AWADDR, k.m_axi_gmem1_AWLEN, k.m_axi_gmem1_AWSIZE, k.m_axi_gmem1_AWBURST,
                    wbeat(k)});
        lite_sample({(bool)k.s_axi_control_AWREADY, (bool)k.s_axi_control_WREADY, (bool)k.s_axi_control_BVALID,
                     (bool)k.s_axi_control_ARREADY, (bool)k.s_axi_control_RVALID, k.s_axi_control_RDATA});
        k.ap_clk = 1;
        k.eval();
        if (tfp)
            tfp->dump(2 * t + 1);
        t++;
    }

    static std::vector<uint32_t> wbeat(const M &k)
    {
        std::vector<uint32_t> w(19);
        for (int l = 0; l < 16; l++)
            w[l] = k.m_axi_gmem1_WDATA[l];
        w[16] = (uint32_t)k.m_axi_gmem1_WSTRB;
        w[17] = (uint32_t)(k.m_axi_gmem1_WSTRB >> 32);
        w[18] = k.m_axi_gmem1_WLAST;
        return w;
    }

    // Verilator renames the port `interrupt` (a C++ keyword in some dialects) to __SYM__interrupt
    bool interrupt() const override { return m->__SYM__interrupt; }
    void finish() override { m->final(); }
};

// the models linked in (kernel.mk): their Classes and a factory each
struct Model {
    uint32_t classes;
    lp_vkernel *(*make)(uint32_t classes, bool trace, VerilatedFstC *tfp);
};
template <class M> lp_vkernel *make_kernel(uint32_t classes, bool trace, VerilatedFstC *tfp)
{
    Kernel<M> *k = new (std::nothrow) Kernel<M>(classes, trace);
    if (k && tfp)
        k->trace_into(tfp);
    return k;
}
#ifndef LP_VKERNEL_MODELS
#error "LP_VKERNEL_MODELS (the verilated builds) comes from sim/kernel/kernel.mk"
#endif
#define LP_VKERNEL_MODEL(c, P) {c, make_kernel<P>},
const Model kModels[] = {LP_VKERNEL_MODELS};
#undef LP_VKERNEL_MODEL

// the smallest build with Classes >= K, or nullptr
const Model *model_for(uint32_t K)
{
    const Model *best = nullptr;
    for (const Model &md : kModels)
        if (md.classes >= K && (!best || md.classes < best->classes))
            best = &md;
    return best;
}

uint32_t max_classes()
{
    uint32_t c = 0;
    for (const Model &md : kModels)
        c = md.classes > c ? md.classes : c;
    return c;
}

// "1, 16": the builds linked in
std::string build_list()
{
    std::string s;
    for (const Model &md : kModels)
        s += (s.empty() ? "" : ", ") + std::to_string(md.classes);
    return s;
}

// 0, or -1 with *why (static) when no build linked in runs K outputs
int supported_k(uint32_t K, const char **why)
{
    static thread_local std::string msg;
    msg.clear();
    if (!model_for(K ? K : 1)) {
        uint32_t top = max_classes();
        msg = "this lpsgd's Verilated kernel is built with Classes = " + build_list() + " (LP_VKERNEL_BUILDS)";
        msg += top == 1 ? ", the one-output models only" : "";
        msg += "; softmax with K = " + std::to_string(K) + " classes needs a build with Classes >= " +
               std::to_string(K) +
               ": rebuild with plain 'make' (LP_VKERNEL_BUILDS=\"1 16\", the default; the 16-class "
               "build takes ~12 CPU-minutes to compile)";
    }
    *why = msg.c_str();
    return msg.empty() ? 0 : -1;
}

} // namespace

extern "C" {

lp_vkernel_t *lp_vkernel_open(const char *trace, uint32_t seed, int stalls, uint32_t classes, char *err,
                              size_t errlen)
{
    const char *why;
    const Model *md = model_for(classes ? classes : 1);
    if (!md) {
        supported_k(classes, &why);
        snprintf(err, errlen, "verilator: %s", why);
        return nullptr;
    }
    std::unique_ptr<VerilatedFstC> tfp(trace ? new (std::nothrow) VerilatedFstC : nullptr);
    lp_vkernel_t *v = (trace && !tfp) ? nullptr : md->make(md->classes, trace != nullptr, tfp.get());
    if (!v) {
        snprintf(err, errlen, "verilator: out of memory");
        return nullptr;
    }
    v->rng.s = seed ? seed : 1;
    v->stalls = stalls != 0;
    if (trace) {
        v->tfp = std::move(tfp);
        v->tfp->open(trace);
        if (!v->tfp->isOpen()) {
            snprintf(err, errlen, "verilator: cannot write the waveform '%s'", trace);
            delete v;
            return nullptr;
        }
    }
    if (v->reset()) {
        snprintf(err, errlen, "verilator: %s", v->err.c_str());
        delete v;
        return nullptr;
    }
    return v;
}

uint32_t lp_vkernel_classes(const lp_vkernel_t *v) { return v->classes; }
void lp_vkernel_set_read_latency(lp_vkernel_t *v, uint32_t cycles) { v->rd_latency = cycles ? cycles : 1; }

int lp_vkernel_supported(const uint32_t *cfg, const char **why) { return supported_k(cfg[LP_CFG_K], why); }

int lp_vkernel_reg_write(lp_vkernel_t *v, uint32_t addr, uint32_t value) { return v->reg_write(addr, value); }
int lp_vkernel_reg_read(lp_vkernel_t *v, uint32_t addr, uint32_t *value) { return v->reg_read(addr, value); }
int lp_vkernel_interrupt(lp_vkernel_t *v) { return v->interrupt(); }
const char *lp_vkernel_error(const lp_vkernel_t *v) { return v->err.c_str(); }
void lp_vkernel_set_faults(lp_vkernel_t *v, const lp_vkernel_faults_t *f) { v->fx = f ? *f : lp_vkernel_faults_t{}; }

int lp_vkernel_run(lp_vkernel_t *v, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                   uint32_t nsteps, uint32_t step0, uint32_t flags, lp_vkernel_perf_t *perf)
{
    v->begin_call();
    // the buffers' sizes as the host knows them (a bad cfg gets the sizes its words say, bounded)
    uint64_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH];
    bool sane = lpk::cfg_sane(cfg);
    uint64_t data_bytes = (sane && data) ? (uint64_t)nsteps * B * LP_SGD_ROW_WORDS(D) * 4 : 0;
    uint64_t model_bytes = (sane && model) ? LP_SGD_MODEL_WORDS(K, D) * 4 : 0;
    uint64_t stats_bytes = stats ? (uint64_t)nsteps * LP_SGD_REC_WORDS * 4 : 0;
    struct {
        const char *name;
        uint64_t size;
        bool writable;
        const void *src;
    } want[4] = {{"cfg", LP_SGD_CFG_WORDS * 4, false, cfg},
                 {"data", data_bytes, false, data},
                 {"model", model_bytes, true, model},
                 {"stats", stats_bytes, true, stats}};
    uint64_t off = 0;
    v->base = v->fx.base ? v->fx.base : kBase;
    static const int arg[4] = {LP_ARG_CFG, LP_ARG_DATA, LP_ARG_MODEL, LP_ARG_STATS}; // want[i]'s argument
    for (int i = 0; i < 4; i++) {
        const auto &w = want[i];
        uint64_t skew = v->fx.addr_skew[arg[i]], addr = v->base + off + skew;
        char msg[256];
        if (w.size && !v->fx.unchecked && lp_sgd_check_addr(w.name, addr, msg, sizeof msg)) {
            v->fail("%s", msg); // what XRT's buffers never are; refused before the kernel sees it
            return -1;
        }
        if (w.size)
            v->bufs.push_back({w.name, addr, w.size, w.writable});
        off += (skew + w.size + lpk::kPage - 1) / lpk::kPage * lpk::kPage + lpk::kPage; // a page of guard between buffers
    }
    if (v->base % lpk::kPage || off > UINT64_MAX - v->base) {
        v->fail("faults.base 0x%llx: not 4 KiB aligned, or the buffers would pass 2^64",
                (unsigned long long)v->base);
        return -1;
    }
    v->mem.assign(off, 0xA5);
    uint64_t addr[4];
    for (int i = 0, j = 0; i < 4; i++) {
        addr[i] = 0;
        if (want[i].size) {
            addr[i] = v->bufs[j++].addr;
            std::memcpy(v->at(addr[i]), want[i].src, want[i].size);
        }
    }
    v->stats_addr = addr[3];
    v->stats_size = stats_bytes;
    const uint64_t ptr[4] = {addr[1], addr[2], addr[3], addr[0]}; // data, model, stats, cfg
    const uint32_t scal[3] = {nsteps, step0, flags};
    uint64_t t0, tdone, beats = lpk::call_beats(cfg, nsteps);
    if (v->call(ptr, scal, beats, &t0, &tdone))
        return -1;

    if (stats_bytes)
        std::memcpy(stats, v->at(addr[3]), stats_bytes);
    if (model_bytes)
        std::memcpy(model, v->at(addr[2]), model_bytes);
    if (perf) {
        perf->cycles += tdone - t0;
        perf->calls++;
        bool bad = nsteps && stats && stats[0] == LP_SGD_REC_BADCFG;
        if (!bad) {
            perf->steps += nsteps;
            perf->beats += beats;
        }
        perf->nlog = 0;
        uint64_t prev = t0;
        for (uint64_t tr : v->rec_times) {
            if (perf->nlog < LP_VKERNEL_STEP_LOG)
                perf->step_cycles[perf->nlog++] = tr - prev;
            prev = tr;
        }
    }
    if (nsteps && stats && stats[0] == LP_SGD_REC_BADCFG)
        return LP_SGD_EBADCFG;
    return 0;
}

void lp_vkernel_close(lp_vkernel_t *v)
{
    if (!v)
        return;
    v->finish();
    if (v->tfp)
        v->tfp->close();
    delete v;
}

} // extern "C"
