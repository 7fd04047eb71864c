// lp_vcard_cu.cpp - a compute unit: the Verilated SystemC kernels, the clock, the bridges.
// The models' headers are forced in by sim/vcard/vcard.mk, which lists the builds in
// LP_VCARD_MODELS as LP_VCARD_MODEL(classes, prefix).
#include "lp_vcard_cu.h"

#include <cmath>
#include <cstring>

#include "lp_vcard.h"
#include "lp_vcard_tlm.h"

extern "C" {
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
}

using namespace sc_core;

namespace vcard {

// one read channel's pins (AR, R)
struct RdPins {
    sc_signal<bool> arvalid, arready, rvalid, rready, rlast;
    sc_signal<uint64_t> araddr;
    sc_signal<uint32_t> arlen, arsize, arburst, rresp;
    sc_signal<sc_dt::sc_bv<512>> rdata;
};

struct Pins {
    sc_signal<bool> clk, rst_n, irq;
    RdPins rd[2];
    sc_signal<bool> awvalid, awready, wvalid, wready, wlast, bvalid, bready;
    sc_signal<uint64_t> awaddr, wstrb;
    sc_signal<uint32_t> awlen, awsize, awburst, bresp;
    sc_signal<sc_dt::sc_bv<512>> wdata;
    // s_axi_control
    sc_signal<bool> l_awvalid, l_awready, l_wvalid, l_wready, l_bvalid, l_bready, l_arvalid, l_arready, l_rvalid,
        l_rready;
    sc_signal<uint32_t> l_awaddr, l_araddr, l_wdata, l_wstrb, l_bresp, l_rdata, l_rresp;
};

#define LP_BIND_RD(P, i)                                                                                         \
    m->m_axi_##P##_ARVALID(p.rd[i].arvalid);                                                                     \
    m->m_axi_##P##_ARREADY(p.rd[i].arready);                                                                     \
    m->m_axi_##P##_ARADDR(p.rd[i].araddr);                                                                       \
    m->m_axi_##P##_ARLEN(p.rd[i].arlen);                                                                         \
    m->m_axi_##P##_ARSIZE(p.rd[i].arsize);                                                                       \
    m->m_axi_##P##_ARBURST(p.rd[i].arburst);                                                                     \
    m->m_axi_##P##_RVALID(p.rd[i].rvalid);                                                                       \
    m->m_axi_##P##_RREADY(p.rd[i].rready);                                                                       \
    m->m_axi_##P##_RDATA(p.rd[i].rdata);                                                                         \
    m->m_axi_##P##_RLAST(p.rd[i].rlast);                                                                         \
    m->m_axi_##P##_RRESP(p.rd[i].rresp)

// the compute units' Verilator context, for the process's life (SystemC elaborates once); a
// plain lp_vkernel opened and closed before must not leave its deleted one current
static VerilatedContext *context()
{
    static VerilatedContext *ctx = new VerilatedContext;
    Verilated::threadContextp(ctx);
    return ctx;
}

// one build's model on its own pins
template <class M> struct ModelOf final : Model {
    Pins p;
    std::unique_ptr<M> m;
    ModelOf(uint32_t c, const char *name)
    {
        classes = c;
        m.reset((context(), new M(name)));
        m->ap_clk(p.clk);
        m->ap_rst_n(p.rst_n);
        m->__SYM__interrupt(p.irq);
        LP_BIND_RD(gmem0, 0);
        LP_BIND_RD(gmem1, 1);
        m->m_axi_gmem1_AWVALID(p.awvalid);
        m->m_axi_gmem1_AWREADY(p.awready);
        m->m_axi_gmem1_AWADDR(p.awaddr);
        m->m_axi_gmem1_AWLEN(p.awlen);
        m->m_axi_gmem1_AWSIZE(p.awsize);
        m->m_axi_gmem1_AWBURST(p.awburst);
        m->m_axi_gmem1_WVALID(p.wvalid);
        m->m_axi_gmem1_WREADY(p.wready);
        m->m_axi_gmem1_WDATA(p.wdata);
        m->m_axi_gmem1_WSTRB(p.wstrb);
        m->m_axi_gmem1_WLAST(p.wlast);
        m->m_axi_gmem1_BVALID(p.bvalid);
        m->m_axi_gmem1_BREADY(p.bready);
        m->m_axi_gmem1_BRESP(p.bresp);
        m->s_axi_control_AWVALID(p.l_awvalid);
        m->s_axi_control_AWREADY(p.l_awready);
        m->s_axi_control_AWADDR(p.l_awaddr);
        m->s_axi_control_WVALID(p.l_wvalid);
        m->s_axi_control_WREADY(p.l_wready);
        m->s_axi_control_WDATA(p.l_wdata);
        m->s_axi_control_WSTRB(p.l_wstrb);
        m->s_axi_control_BVALID(p.l_bvalid);
        m->s_axi_control_BREADY(p.l_bready);
        m->s_axi_control_BRESP(p.l_bresp);
        m->s_axi_control_ARVALID(p.l_arvalid);
        m->s_axi_control_ARREADY(p.l_arready);
        m->s_axi_control_ARADDR(p.l_araddr);
        m->s_axi_control_RVALID(p.l_rvalid);
        m->s_axi_control_RREADY(p.l_rready);
        m->s_axi_control_RDATA(p.l_rdata);
        m->s_axi_control_RRESP(p.l_rresp);
    }
    // the model's scopes are erased from the current context (sim/lp_vmodel.h): make it theirs
    ~ModelOf() override
    {
        context();
        m.reset();
    }
    Pins &pins() override { return p; }
    void final() override { m->final(); }
};

struct Build {
    uint32_t classes;
    Model *(*make)(uint32_t classes, const char *name);
};
template <class M> Model *make_model(uint32_t classes, const char *name) { return new ModelOf<M>(classes, name); }
#ifndef LP_VCARD_MODELS
#error "LP_VCARD_MODELS (the --sc builds) comes from sim/vcard/vcard.mk"
#endif
#define LP_VCARD_MODEL(c, P) {c, make_model<P>},
const Build kBuilds[] = {LP_VCARD_MODELS};
#undef LP_VCARD_MODEL

Cu::Cu(sc_module_name n, double mhz) : sc_module(n), gmem0("gmem0"), gmem1("gmem1")
{
    period = sc_time(1e6 / mhz, SC_PS); // rounded to the resolution (1 ps): 300 MHz -> 3333 ps
    half0 = sc_time(std::floor(period.to_seconds() * 1e12 / 2), SC_PS);
    half1 = period - half0;
    for (const Build &b : kBuilds) { // vcard.mk lists them ascending
        std::string nm = b.classes == kBuilds[0].classes ? "kernel" : "kernel_k" + std::to_string(b.classes);
        models.emplace_back(b.make(b.classes, nm.c_str()));
    }
    act = models.front().get();
    memp = this;
    SC_HAS_PROCESS(Cu);
    SC_THREAD(thread);
}

Cu::~Cu() = default;

void Cu::finish()
{
    for (auto &md : models)
        md->final();
}

bool Cu::interrupt() const { return act->pins().irq.read(); }

// the model for a run of K classes: the smallest build with Classes >= K (none: the largest,
// whose cfg check rejects the run as a card's would), reset before its first run (those
// cycles come before the run's own); nonzero when that reset failed
int Cu::select(uint32_t k)
{
    act = models.back().get();
    for (auto it = models.rbegin(); it != models.rend(); ++it)
        if ((*it)->classes >= k)
            act = it->get();
    if (!act->was_reset) {
        act->was_reset = true;
        rc = reset();
    }
    return rc;
}

// the slave outputs decided after the previous edge, the clock low
void Cu::drive()
{
    Pins &p = act->pins();
    p.clk.write(false);
    p.rst_n.write(rst_n);
    for (int i = 0; i < 2; i++) {
        RdPins &r = p.rd[i];
        r.arready.write(arready[i]);
        r.rvalid.write(rvalid[i]);
        r.rlast.write(rlast[i]);
        r.rresp.write(rresp[i]);
        sc_dt::sc_bv<512> d;
        for (int l = 0; l < 16; l++)
            d.set_word(l, rdata[i][l]);
        r.rdata.write(d);
    }
    p.awready.write(awready);
    p.wready.write(wready);
    p.bvalid.write(bvalid);
    p.bresp.write(bresp);
    p.l_awvalid.write(l_aw);
    p.l_awaddr.write(l_waddr);
    p.l_wvalid.write(l_w);
    p.l_wdata.write(l_wdata);
    p.l_wstrb.write(0xF);
    p.l_bready.write(l_b);
    p.l_arvalid.write(l_ar);
    p.l_araddr.write(l_raddr);
    p.l_rready.write(l_r);
}

// the kernel's outputs after the settle, through the planted fault (tests), into the checks
void Cu::sample()
{
    Pins &p = act->pins();
    lpk::ReadPort rd[2];
    for (int i = 0; i < 2; i++) {
        RdPins &r = p.rd[i];
        rd[i] = {r.arvalid.read(), r.araddr.read(), r.arlen.read(), r.arsize.read(), r.arburst.read(), r.rready.read()};
    }
    lpk::WritePort w{p.awvalid.read(), p.wvalid.read(), p.bready.read(), p.awaddr.read(), p.awlen.read(),
                     p.awsize.read(), p.awburst.read(), std::vector<uint32_t>(19)};
    sc_dt::sc_bv<512> wd = p.wdata.read();
    for (int l = 0; l < 16; l++)
        w.w[l] = wd.get_word(l);
    w.w[16] = (uint32_t)p.wstrb.read();
    w.w[17] = (uint32_t)(p.wstrb.read() >> 32);
    w.w[18] = p.wlast.read();
    if (plant == LP_VCARD_PLANT_NO_WLAST && !planted && w.wv && wready && w.w[18])
        w.w[18] = 0, planted = 1;
    if (plant == LP_VCARD_PLANT_CROSS_4K && !planted && rd[0].arv && arready[0])
        rd[0].arlen = (unsigned)((lpk::kPage - rd[0].araddr % lpk::kPage) / lpk::kBeat), planted = 1;
    if (plant == LP_VCARD_PLANT_AR_CHANGE && !planted && rd[0].arv && h_ar[0].pending)
        rd[0].araddr ^= lpk::kPage, planted = 1;
    if (plant == LP_VCARD_PLANT_W_AFTER_AW && w.awv && !awready)
        w.wv = false, planted = 1;
    read_port(0, rd[0]);
    read_port(1, rd[1]);
    write_port(w);
    lpk::LitePort l{p.l_awready.read(), p.l_wready.read(), p.l_bvalid.read(),
                    p.l_arready.read(), p.l_rvalid.read(), p.l_rdata.read()};
    if (plant == LP_VCARD_PLANT_LITE_RVALID && !planted && running && !l_r)
        l.rvalid = true, planted = 1;
    lite_sample(l);
}

// one clock cycle in simulated time: low half (drive, settle, sample), rising edge, high half
void Cu::tick()
{
    context(); // the RTL's assertions report through the current context
    cycle_begin();
    if (plant == LP_VCARD_PLANT_AR_CHANGE && !planted && running)
        arready[0] = false; // held low until the planted change, so the AR waits
    drive();
    wait(half0);
    sample();
    act->pins().clk.write(true);
    wait(half1);
    t++;
}

void Cu::thread()
{
    select(1); // the smallest build, reset at once (the others before their first runs)
    ready = true;
    sc_pause();
    for (;;) {
        while (!pending)
            wait(go);
        pending = false;
        running = true;
        run();
        running = false;
        runs++;
        if (waited)
            sc_pause();
    }
}

// one run as lp_vkernel_run makes it, on the buffers the host placed
void Cu::run()
{
    begin_call();
    bufs = run_bufs;
    planted = 0;
    for (const lpk::Buffer &b : bufs)
        if (!strcmp(b.name, "stats"))
            stats_addr = b.addr, stats_size = b.size;
    // the wait's bound from the cfg block (as lp_vkernel_run's)
    uint32_t cfg[LP_SGD_CFG_WORDS] = {0};
    if (unsigned char *c = dmi_ptr(dmi, gmem1.operator->(), args[LP_ARG_CFG], sizeof cfg))
        std::memcpy(cfg, c, sizeof cfg);
    if (select(cfg[LP_CFG_K])) // the reset of the model selected for its first run failed
        return;
    const uint64_t ptr[4] = {args[0], args[1], args[2], args[3]};
    const uint32_t scal[3] = {(uint32_t)args[4], (uint32_t)args[5], (uint32_t)args[6]};
    uint64_t t0 = t, tdone = t;
    rc = call(ptr, scal, lpk::call_beats(cfg, scal[0]), &t0, &tdone);
    last_cycles = tdone - t0;
    cycles += last_cycles;
}

void Cu::read(uint64_t addr, void *dst64)
{
    unsigned char *p = dmi_ptr(dmi, gmem0.operator->(), addr, lpk::kBeat);
    if (p)
        std::memcpy(dst64, p, lpk::kBeat);
}

void Cu::write(uint64_t addr, const uint8_t *src, uint64_t strb)
{
    unsigned char *p = dmi_ptr(dmi, gmem1.operator->(), addr, lpk::kBeat);
    for (unsigned i = 0; p && i < lpk::kBeat; i++)
        if (strb >> i & 1)
            p[i] = src[i];
}

// the burst booked in its channel now: whole cycles of what the channel adds; TLM errors as
// AXI responses (an address no channel decodes: DECERR, another error: SLVERR)
uint64_t Cu::burst(int port, uint64_t addr, unsigned beats, unsigned *resp)
{
    tlm::tlm_response_status st;
    sc_time d = book((port == lpk::kGmem0Rd ? gmem0 : gmem1).operator->(), addr, (uint64_t)beats * lpk::kBeat,
                     port == lpk::kGmem1Wr, SC_ZERO_TIME, &st);
    *resp = st == tlm::TLM_OK_RESPONSE ? 0 : st == tlm::TLM_ADDRESS_ERROR_RESPONSE ? 3 : 2;
    return (uint64_t)std::ceil(d.to_seconds() / period.to_seconds() - 1e-9);
}

} // namespace vcard
