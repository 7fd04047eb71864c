// lp_vkernel.cpp - Verilator harness of the SGD kernel top (rtl/kernel/lp_sgd.sv) behind
// lp_vkernel.h: device memory, two AXI4 slave ports (gmem0 read only, gmem1), an AXI4-Lite
// master on s_axi_control, protocol checks. A cycle: drive the slave outputs (decided
// after the previous edge, so they behave like registers), settle, sample the kernel's
// outputs and the handshakes, check and update the models, then the rising edge.
//
// One harness, several models: kernel.mk verilates the kernel once per Classes value of
// LP_VKERNEL_BUILDS (prefix Vlp_sgd, Vlp_sgd_k16, ...), forces their headers in (-include)
// and lists them in LP_VKERNEL_MODELS as LP_VKERNEL_MODEL(classes, prefix). struct
// lp_vkernel is the model-independent harness (memory, AXI slaves and checks, AXI4-Lite
// master, the call); Kernel<M> adds what touches the model's ports: drive, sample, clock.
#include "lp_vkernel.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iterator>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "verilated.h"
#include "verilated_fst_c.h"

extern "C" {
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
}

namespace {

constexpr uint64_t kBase = 0x400000000ull; // device buffers live above 4 GiB (64-bit pointers)
constexpr uint64_t kPage = 4096;
constexpr unsigned kBeat = 64;

struct Buffer {
    const char *name;
    uint64_t addr, size;
    bool writable;
};

// xorshift32: the seeded latencies and stalls
struct Rng {
    uint32_t s;
    uint32_t next()
    {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        return s;
    }
    bool chance(unsigned percent) { return next() % 100 < percent; }
    unsigned range(unsigned lo, unsigned hi) { return lo + next() % (hi - lo + 1); }
};

struct Burst {
    uint64_t addr;
    unsigned len;  // beats
    unsigned beat; // next beat
    uint64_t due;  // cycle from which its data (or response) may go out
    unsigned resp; // its RRESP / BRESP (0 OKAY; lp_vkernel_faults_t)
};

// one held handshake: the payload seen with valid and no ready must be seen again
struct Hold {
    bool pending = false;
    std::vector<uint32_t> payload;
};

// gmem1's write side as the kernel drives it in one cycle
struct WritePort {
    bool awv, wv, bready;
    uint64_t awaddr;
    unsigned awlen, awsize, awburst;
    std::vector<uint32_t> w; // WDATA (16 words), WSTRB (2 words), WLAST
};

} // namespace

struct lp_vkernel {
    VerilatedContext ctx;
    std::unique_ptr<VerilatedFstC> tfp;
    uint32_t classes = 0; // the model's Classes parameter
    bool rst_n = true;    // ap_rst_n
    uint64_t t = 0;
    Rng rng{1};
    bool stalls = false;
    uint32_t rd_latency = 2; // cycles from an AR to its first R beat (stalls add 0..38)
    std::string err;
    lp_vkernel_faults_t fx{}; // lp_vkernel_set_faults
    unsigned ar_n[2] = {0, 0}, aw_n = 0; // bursts taken in this call
    uint64_t isr_at = 0;      // the cycle the host presents fx's ISR write (0: none)

    std::vector<uint8_t> mem;
    std::vector<Buffer> bufs;
    uint64_t stats_addr = 0, stats_size = 0;
    std::vector<uint64_t> rec_times;

    // slave state (outputs for the next cycle)
    std::deque<Burst> rd_q[2], aw_q, b_q;
    std::deque<std::vector<uint32_t>> w_early; // W beats before their AW (allowed, unused by the kernel)
    bool arready[2] = {false, false}, rvalid[2] = {false, false};
    bool awready = false, wready = false, bvalid = false;
    unsigned rresp[2] = {0, 0}, bresp = 0;
    Hold h_ar[2], h_aw, h_w;
    uint32_t rdata[2][16] = {};
    bool rlast[2] = {false, false};

    // AXI4-Lite master signals
    bool l_aw = false, l_w = false, l_b = false, l_ar = false, l_r = false;
    uint32_t l_waddr = 0, l_raddr = 0, l_wdata = 0, l_rdata = 0;

    bool fail(const char *fmt, ...)
    {
        if (!err.empty())
            return false;
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        err = buf;
        return false;
    }

    const Buffer *find(uint64_t addr, uint64_t bytes) const
    {
        for (const Buffer &b : bufs)
            if (addr >= b.addr && addr + bytes <= b.addr + b.size)
                return &b;
        return nullptr;
    }
    uint8_t *at(uint64_t addr) { return &mem[addr - kBase]; }

    // AR/AW checks: INCR, 64-byte beats, aligned, one 4 KiB page, one buffer
    void check_burst(const char *port, uint64_t addr, unsigned len, unsigned size, unsigned burst, bool write)
    {
        if (size != 6 || burst != 1)
            fail("%s: burst size %u / type %u (want 64-byte beats, INCR)", port, size, burst);
        if (addr % kBeat)
            fail("%s: address 0x%llx not beat aligned", port, (unsigned long long)addr);
        if (addr / kPage != (addr + (uint64_t)len * kBeat - 1) / kPage)
            fail("%s: burst at 0x%llx of %u beats crosses a 4 KiB boundary", port, (unsigned long long)addr, len);
        const Buffer *b = find(addr, (uint64_t)len * kBeat);
        if (!b)
            fail("%s: burst at 0x%llx of %u beats is outside every buffer", port, (unsigned long long)addr, len);
        else if (write && !b->writable)
            fail("%s: write burst into the read-only buffer '%s'", port, b->name);
    }

    // valid held with a stable payload until ready
    void check_hold(Hold &h, const char *what, bool valid, bool ready, std::vector<uint32_t> payload)
    {
        if (h.pending) {
            if (!valid)
                fail("%s: VALID dropped before READY", what);
            else if (payload != h.payload)
                fail("%s: payload changed while VALID waited for READY", what);
        }
        h.pending = valid && !ready;
        if (h.pending)
            h.payload = std::move(payload);
    }

    virtual ~lp_vkernel() = default;
    virtual void tick() = 0;           // one clock cycle (the model's ports, see Kernel<M>)
    virtual bool interrupt() const = 0;
    virtual void finish() = 0;         // the model's final()

    // the read side of port p: AR taken into the queue, R beats out of it
    void read_port(int p, bool arv, uint64_t araddr, unsigned arlen, unsigned arsize, unsigned arburst, bool rready)
    {
        const char *name = p ? "gmem1 AR" : "gmem0 AR";
        check_hold(h_ar[p], name, arv, arready[p], {(uint32_t)araddr, (uint32_t)(araddr >> 32), arlen, arsize, arburst});
        if (arv && arready[p]) {
            check_burst(name, araddr, arlen + 1, arsize, arburst, false);
            unsigned resp = ++ar_n[p] == fx.rd_err_burst[p] ? fx.rd_err_resp : 0;
            rd_q[p].push_back({araddr, arlen + 1, 0, t + rd_latency + (stalls ? rng.range(0, 38) : 0), resp});
        }
        if (rvalid[p] && rready) {
            Burst &b = rd_q[p].front();
            if (++b.beat == b.len)
                rd_q[p].pop_front();
        }
        // next cycle: a beat stays offered until taken
        if (!(rvalid[p] && !rready)) {
            rvalid[p] = false;
            if (!rd_q[p].empty() && rd_q[p].front().due <= t && !(stalls && rng.chance(20))) {
                Burst &b = rd_q[p].front();
                uint64_t a = b.addr + (uint64_t)b.beat * kBeat;
                if (b.resp)
                    std::fill(std::begin(rdata[p]), std::end(rdata[p]), 0xBAD0BAD0u); // not memory's
                else if (find(a, kBeat))
                    std::memcpy(rdata[p], at(a), kBeat);
                rresp[p] = b.resp;
                rlast[p] = b.beat + 1 == b.len;
                rvalid[p] = true;
            }
        }
        arready[p] = !stalls || rng.chance(70);
    }

    void write_beat(const Burst &b, const std::vector<uint32_t> &w)
    {
        uint64_t a = b.addr + (uint64_t)b.beat * kBeat;
        const uint32_t *data = w.data(), *strb = w.data() + 16;
        uint64_t s = strb[0] | (uint64_t)strb[1] << 32;
        if ((w[18] != 0) != (b.beat + 1 == b.len))
            fail("gmem1 W: WLAST %u on beat %u of a %u-beat burst", w[18], b.beat, b.len);
        if (!find(a, kBeat) || b.resp) // an error response: nothing written
            return;
        uint8_t *dst = at(a);
        const uint8_t *src = reinterpret_cast<const uint8_t *>(data);
        for (unsigned i = 0; i < kBeat; i++)
            if (s >> i & 1)
                dst[i] = src[i];
        if (a >= stats_addr && a < stats_addr + stats_size)
            rec_times.push_back(t);
    }

    void write_port(const WritePort &k)
    {
        check_hold(h_aw, "gmem1 AW", k.awv, awready,
                   {(uint32_t)k.awaddr, (uint32_t)(k.awaddr >> 32), k.awlen, k.awsize, k.awburst});
        check_hold(h_w, "gmem1 W", k.wv, wready, k.w);
        if (k.awv && awready) {
            check_burst("gmem1 AW", k.awaddr, k.awlen + 1, k.awsize, k.awburst, true);
            aw_q.push_back({k.awaddr, k.awlen + 1, 0, 0, ++aw_n == fx.wr_err_burst ? fx.wr_err_resp : 0});
        }
        if (k.wv && wready)
            w_early.push_back(k.w);
        while (!aw_q.empty() && !w_early.empty()) {
            Burst &b = aw_q.front();
            write_beat(b, w_early.front());
            w_early.pop_front();
            if (++b.beat == b.len) {
                b_q.push_back({b.addr, b.len, 0, t + (stalls ? rng.range(1, 20) : 1), b.resp});
                aw_q.pop_front();
            }
        }
        if (bvalid && k.bready)
            b_q.pop_front();
        if (!(bvalid && !k.bready)) {
            bvalid = !b_q.empty() && b_q.front().due <= t && !(stalls && rng.chance(20));
            bresp = bvalid ? b_q.front().resp : 0;
        }
        // fx.aw_after_w: AWREADY only while W data is offered or taken ahead of its address
        awready = (!stalls || rng.chance(70)) && (!fx.aw_after_w || k.wv || !w_early.empty());
        wready = !stalls || rng.chance(75);
    }

    int reg_write(uint32_t a, uint32_t v)
    {
        l_waddr = a;
        l_wdata = v;
        l_aw = l_w = l_b = true;
        for (int i = 0; i < 1000 && (l_aw || l_w || l_b); i++)
            tick();
        return (l_aw || l_w || l_b) ? fail("s_axi_control: write of 0x%x not answered", a), -1 : 0;
    }
    int reg_read(uint32_t a, uint32_t *v)
    {
        l_raddr = a;
        l_ar = l_r = true;
        for (int i = 0; i < 1000 && (l_ar || l_r); i++)
            tick();
        *v = l_rdata;
        return (l_ar || l_r) ? fail("s_axi_control: read of 0x%x not answered", a), -1 : 0;
    }
};

namespace {

// the harness on the model M (a Verilated lp_sgd of one Classes value)
template <class M> struct Kernel final : lp_vkernel {
    std::unique_ptr<M> m;

    Kernel(uint32_t c, bool trace)
    {
        classes = c;
        if (trace)
            ctx.traceEverOn(true);
        m.reset(new M{&ctx, "lp_sgd"});
    }
    // Verilator keeps one "thread context" (the last one constructed) and uses it for the
    // scopes of the RTL's assertions ($error, --assert) and their teardown: it must be this
    // model's, not that of a kernel opened later and already closed
    ~Kernel() override
    {
        Verilated::threadContextp(&ctx);
        m.reset();
    }

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
        Verilated::threadContextp(&ctx);
        if (isr_at && t == isr_at) { // fx.isr_write_cycle: the host's ISR write, whatever else it does
            l_waddr = LP_REG_ISR;
            l_wdata = fx.isr_write_value;
            l_aw = l_w = l_b = true;
        }
        k.ap_clk = 0;
        drive();
        k.eval();
        if (tfp)
            tfp->dump(2 * t);
        read_port(0, k.m_axi_gmem0_ARVALID, k.m_axi_gmem0_ARADDR, k.m_axi_gmem0_ARLEN, k.m_axi_gmem0_ARSIZE,
                  k.m_axi_gmem0_ARBURST, k.m_axi_gmem0_RREADY);
        read_port(1, k.m_axi_gmem1_ARVALID, k.m_axi_gmem1_ARADDR, k.m_axi_gmem1_ARLEN, k.m_axi_gmem1_ARSIZE,
                  k.m_axi_gmem1_ARBURST, k.m_axi_gmem1_RREADY);
        write_port({(bool)k.m_axi_gmem1_AWVALID, (bool)k.m_axi_gmem1_WVALID, (bool)k.m_axi_gmem1_BREADY,
                    (uint64_t)k.m_axi_gmem1_AWADDR, k.m_axi_gmem1_AWLEN, k.m_axi_gmem1_AWSIZE, k.m_axi_gmem1_AWBURST,
                    wbeat(k)});
        // AXI4-Lite master: drop each valid/ready after its handshake
        if (l_aw && k.s_axi_control_AWREADY)
            l_aw = false;
        if (l_w && k.s_axi_control_WREADY)
            l_w = false;
        if (l_b && k.s_axi_control_BVALID)
            l_b = false;
        if (l_ar && k.s_axi_control_ARREADY)
            l_ar = false;
        if (l_r && k.s_axi_control_RVALID) {
            l_rdata = k.s_axi_control_RDATA;
            l_r = false;
        }
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
    v->rst_n = false;
    for (int i = 0; i < 4; i++)
        v->tick();
    v->rst_n = true;
    v->tick();
    v->tick();
    // interrupts as XRT enables them: ap_done through GIE and IER
    if (v->reg_write(LP_REG_GIE, 1) || v->reg_write(LP_REG_IER, 1)) {
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
    v->err.clear();
    // the buffers' sizes as the host knows them (a bad cfg gets the sizes its words say, bounded)
    uint64_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH];
    bool sane = K >= 1 && K <= LP_SGD_MAX_CLASSES && D >= 16 && D <= LP_SGD_MAX_DIM && D % 16 == 0 && B >= 1 &&
                B <= LP_SGD_MAX_BATCH;
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
    v->bufs.clear();
    v->ar_n[0] = v->ar_n[1] = v->aw_n = 0;
    uint64_t off = 0;
    static const int arg[4] = {LP_ARG_CFG, LP_ARG_DATA, LP_ARG_MODEL, LP_ARG_STATS}; // want[i]'s argument
    for (int i = 0; i < 4; i++) {
        const auto &w = want[i];
        uint64_t skew = v->fx.addr_skew[arg[i]], addr = kBase + off + skew;
        char msg[256];
        if (w.size && !v->fx.unchecked && lp_sgd_check_addr(w.name, addr, msg, sizeof msg)) {
            v->fail("%s", msg); // what XRT's buffers never are; refused before the kernel sees it
            return -1;
        }
        if (w.size)
            v->bufs.push_back({w.name, addr, w.size, w.writable});
        off += (skew + w.size + kPage - 1) / kPage * kPage + kPage; // a page of guard between buffers
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
    v->rec_times.clear();

    // arguments, then ap_start; poll ap_done as XRT does (the interrupt gives the exact cycle)
    const uint64_t ptr[4] = {addr[1], addr[2], addr[3], addr[0]}; // data, model, stats, cfg
    const uint32_t scal[3] = {nsteps, step0, flags};
    for (int i = 0; i < LP_SGD_NARGS; i++) {
        const lp_sgd_arg_t *a = &lp_sgd_args[i];
        if (a->is_pointer) {
            if (v->reg_write(a->offset, (uint32_t)ptr[i]) || v->reg_write(a->offset + 4, (uint32_t)(ptr[i] >> 32)))
                return -1;
        } else if (v->reg_write(a->offset, scal[i - 4])) {
            return -1;
        }
    }
    if (v->reg_write(LP_REG_CTRL, LP_CTRL_START))
        return -1;
    v->isr_at = v->fx.isr_write_cycle ? v->t + v->fx.isr_write_cycle : 0;
    uint64_t t0 = v->t, tdone = 0, beats = sane ? (uint64_t)nsteps * B * (1 + D / 16) : 0;
    uint64_t guard = t0 + 200000 + 400 * beats;
    uint32_t ctrl = 0;
    while (!(ctrl & LP_CTRL_DONE)) {
        for (int i = 0; i < 16; i++) {
            v->tick();
            if (!tdone && v->interrupt())
                tdone = v->t;
        }
        if (v->reg_read(LP_REG_CTRL, &ctrl))
            return -1;
        if (!v->err.empty())
            return -1;
        if (v->t > guard) {
            v->fail("the kernel did not finish (no ap_done after %llu cycles)", (unsigned long long)(v->t - t0));
            return -1;
        }
    }
    if (!tdone)
        tdone = v->t;
    for (int i = 0; i < 1000 && (v->l_aw || v->l_w || v->l_b); i++) // fx's ISR write, if still going
        v->tick();
    v->isr_at = 0;
    // the done event must be in ISR (IER enables it) until the host acknowledges it
    uint32_t isr = 0, ier = 0, status = 0;
    if (v->reg_read(LP_REG_ISR, &isr) || v->reg_read(LP_REG_IER, &ier))
        return -1;
    if ((ier & 1) && !(isr & 1)) {
        v->fail("ap_done without ISR bit 0 (IER 0x%x, ISR 0x%x): the kernel lost the done interrupt", ier, isr);
        return -1;
    }
    if ((isr & 1) && v->reg_write(LP_REG_ISR, 1)) // acknowledge the interrupt
        return -1;
    if (v->reg_read(LP_REG_STATUS, &status))
        return -1;
    if (status) { // the caller's buffers keep their contents: nothing of this call is usable
        char msg[400];
        v->fail("%s", lp_sgd_status_msg(status, msg, sizeof msg));
        return -1;
    }
    if (!v->err.empty())
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
