// lp_vkernel.cpp - Verilator harness of the SGD kernel top (rtl/kernel/lp_sgd.sv) behind
// lp_vkernel.h: device memory, two AXI4 slave ports (gmem0 read only, gmem1), an AXI4-Lite
// master on s_axi_control, protocol checks. A cycle: drive the slave outputs (decided
// after the previous edge, so they behave like registers), settle, sample the kernel's
// outputs and the handshakes, check and update the models, then the rising edge.
#include "lp_vkernel.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "Vlp_sgd.h"
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
};

// one held handshake: the payload seen with valid and no ready must be seen again
struct Hold {
    bool pending = false;
    std::vector<uint32_t> payload;
};

} // namespace

struct lp_vkernel {
    VerilatedContext ctx;
    std::unique_ptr<Vlp_sgd> m;
    std::unique_ptr<VerilatedFstC> tfp;
    uint64_t t = 0;
    Rng rng{1};
    bool stalls = false;
    std::string err;

    std::vector<uint8_t> mem;
    std::vector<Buffer> bufs;
    uint64_t stats_addr = 0, stats_size = 0;
    std::vector<uint64_t> rec_times;

    // slave state (outputs for the next cycle)
    std::deque<Burst> rd_q[2], aw_q, b_q;
    std::deque<std::vector<uint32_t>> w_early; // W beats before their AW (allowed, unused by the kernel)
    bool arready[2] = {false, false}, rvalid[2] = {false, false};
    bool awready = false, wready = false, bvalid = false;
    Hold h_ar[2], h_aw, h_w;
    uint32_t rdata[2][16] = {};
    bool rlast[2] = {false, false};

    // AXI4-Lite master signals
    bool l_aw = false, l_w = false, l_b = false, l_ar = false, l_r = false;
    uint32_t l_addr = 0, l_wdata = 0, l_rdata = 0;

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

    void drive()
    {
        Vlp_sgd &k = *m;
        k.m_axi_gmem0_ARREADY = arready[0];
        k.m_axi_gmem0_RVALID = rvalid[0];
        k.m_axi_gmem0_RLAST = rlast[0];
        k.m_axi_gmem0_RRESP = 0;
        for (int l = 0; l < 16; l++)
            k.m_axi_gmem0_RDATA[l] = rdata[0][l];
        k.m_axi_gmem1_ARREADY = arready[1];
        k.m_axi_gmem1_RVALID = rvalid[1];
        k.m_axi_gmem1_RLAST = rlast[1];
        k.m_axi_gmem1_RRESP = 0;
        for (int l = 0; l < 16; l++)
            k.m_axi_gmem1_RDATA[l] = rdata[1][l];
        k.m_axi_gmem1_AWREADY = awready;
        k.m_axi_gmem1_WREADY = wready;
        k.m_axi_gmem1_BVALID = bvalid;
        k.m_axi_gmem1_BRESP = 0;
        k.s_axi_control_AWVALID = l_aw;
        k.s_axi_control_AWADDR = l_addr;
        k.s_axi_control_WVALID = l_w;
        k.s_axi_control_WDATA = l_wdata;
        k.s_axi_control_WSTRB = 0xF;
        k.s_axi_control_BREADY = l_b;
        k.s_axi_control_ARVALID = l_ar;
        k.s_axi_control_ARADDR = l_addr;
        k.s_axi_control_RREADY = l_r;
    }

    // the read side of port p: AR taken into the queue, R beats out of it
    void read_port(int p, bool arv, uint64_t araddr, unsigned arlen, unsigned arsize, unsigned arburst, bool rready)
    {
        const char *name = p ? "gmem1 AR" : "gmem0 AR";
        check_hold(h_ar[p], name, arv, arready[p], {(uint32_t)araddr, (uint32_t)(araddr >> 32), arlen, arsize, arburst});
        if (arv && arready[p]) {
            check_burst(name, araddr, arlen + 1, arsize, arburst, false);
            rd_q[p].push_back({araddr, arlen + 1, 0, t + (stalls ? rng.range(2, 40) : 2)});
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
                if (find(a, kBeat))
                    std::memcpy(rdata[p], at(a), kBeat);
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
        if (!find(a, kBeat))
            return;
        uint8_t *dst = at(a);
        const uint8_t *src = reinterpret_cast<const uint8_t *>(data);
        for (unsigned i = 0; i < kBeat; i++)
            if (s >> i & 1)
                dst[i] = src[i];
        if (a >= stats_addr && a < stats_addr + stats_size)
            rec_times.push_back(t);
        if ((w[18] != 0) != (b.beat + 1 == b.len))
            fail("gmem1 W: WLAST %u on beat %u of a %u-beat burst", w[18], b.beat, b.len);
    }

    void write_port()
    {
        Vlp_sgd &k = *m;
        bool awv = k.m_axi_gmem1_AWVALID, wv = k.m_axi_gmem1_WVALID, bready = k.m_axi_gmem1_BREADY;
        uint64_t awaddr = k.m_axi_gmem1_AWADDR;
        unsigned awlen = k.m_axi_gmem1_AWLEN;
        check_hold(h_aw, "gmem1 AW", awv, awready,
                   {(uint32_t)awaddr, (uint32_t)(awaddr >> 32), awlen, k.m_axi_gmem1_AWSIZE, k.m_axi_gmem1_AWBURST});
        std::vector<uint32_t> w(19);
        for (int l = 0; l < 16; l++)
            w[l] = k.m_axi_gmem1_WDATA[l];
        w[16] = (uint32_t)k.m_axi_gmem1_WSTRB;
        w[17] = (uint32_t)(k.m_axi_gmem1_WSTRB >> 32);
        w[18] = k.m_axi_gmem1_WLAST;
        check_hold(h_w, "gmem1 W", wv, wready, w);
        if (awv && awready) {
            check_burst("gmem1 AW", awaddr, awlen + 1, k.m_axi_gmem1_AWSIZE, k.m_axi_gmem1_AWBURST, true);
            aw_q.push_back({awaddr, awlen + 1, 0, 0});
        }
        if (wv && wready)
            w_early.push_back(w);
        while (!aw_q.empty() && !w_early.empty()) {
            Burst &b = aw_q.front();
            write_beat(b, w_early.front());
            w_early.pop_front();
            if (++b.beat == b.len) {
                b_q.push_back({b.addr, b.len, 0, t + (stalls ? rng.range(1, 20) : 1)});
                aw_q.pop_front();
            }
        }
        if (bvalid && bready)
            b_q.pop_front();
        if (!(bvalid && !bready))
            bvalid = !b_q.empty() && b_q.front().due <= t && !(stalls && rng.chance(20));
        awready = !stalls || rng.chance(70);
        wready = !stalls || rng.chance(75);
    }

    void tick()
    {
        Vlp_sgd &k = *m;
        k.ap_clk = 0;
        drive();
        k.eval();
        if (tfp)
            tfp->dump(2 * t);
        read_port(0, k.m_axi_gmem0_ARVALID, k.m_axi_gmem0_ARADDR, k.m_axi_gmem0_ARLEN, k.m_axi_gmem0_ARSIZE,
                  k.m_axi_gmem0_ARBURST, k.m_axi_gmem0_RREADY);
        read_port(1, k.m_axi_gmem1_ARVALID, k.m_axi_gmem1_ARADDR, k.m_axi_gmem1_ARLEN, k.m_axi_gmem1_ARSIZE,
                  k.m_axi_gmem1_ARBURST, k.m_axi_gmem1_RREADY);
        write_port();
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

    int reg_write(uint32_t a, uint32_t v)
    {
        l_addr = a;
        l_wdata = v;
        l_aw = l_w = l_b = true;
        for (int i = 0; i < 1000 && (l_aw || l_w || l_b); i++)
            tick();
        return (l_aw || l_w || l_b) ? fail("s_axi_control: write of 0x%x not answered", a), -1 : 0;
    }
    int reg_read(uint32_t a, uint32_t *v)
    {
        l_addr = a;
        l_ar = l_r = true;
        for (int i = 0; i < 1000 && (l_ar || l_r); i++)
            tick();
        *v = l_rdata;
        return (l_ar || l_r) ? fail("s_axi_control: read of 0x%x not answered", a), -1 : 0;
    }
};

extern "C" {

lp_vkernel_t *lp_vkernel_open(const char *trace, uint32_t seed, int stalls, char *err, size_t errlen)
{
    lp_vkernel_t *v = new (std::nothrow) lp_vkernel;
    if (!v) {
        snprintf(err, errlen, "verilator: out of memory");
        return nullptr;
    }
    v->rng.s = seed ? seed : 1;
    v->stalls = stalls != 0;
    if (trace)
        v->ctx.traceEverOn(true);
    v->m.reset(new Vlp_sgd{&v->ctx, "lp_sgd"});
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
    v->m->ap_rst_n = 0;
    for (int i = 0; i < 4; i++)
        v->tick();
    v->m->ap_rst_n = 1;
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

// The Classes parameter this model was verilated with (sim/kernel/kernel.mk LP_VKERNEL_CLASSES).
#ifndef LP_VKERNEL_CLASSES
#define LP_VKERNEL_CLASSES 1
#endif
#define LP_VK_STR2(x) #x
#define LP_VK_STR(x) LP_VK_STR2(x)

int lp_vkernel_supported(const uint32_t *cfg, const char **why)
{
    *why = "";
    if (cfg[LP_CFG_K] > LP_VKERNEL_CLASSES)
        *why = "this Verilated kernel was built with Classes = " LP_VK_STR(LP_VKERNEL_CLASSES) " outputs (the "
               "one-output models); rebuild with 'make LP_VKERNEL_CLASSES=16' to train softmax through it "
               "(16 x 16 lanes: about 14x slower to simulate)";
    return **why ? -1 : 0;
}

int lp_vkernel_reg_write(lp_vkernel_t *v, uint32_t addr, uint32_t value) { return v->reg_write(addr, value); }
int lp_vkernel_reg_read(lp_vkernel_t *v, uint32_t addr, uint32_t *value) { return v->reg_read(addr, value); }
// Verilator renames the port `interrupt` (a C++ keyword in some dialects) to __SYM__interrupt
int lp_vkernel_interrupt(lp_vkernel_t *v) { return v->m->__SYM__interrupt; }
const char *lp_vkernel_error(const lp_vkernel_t *v) { return v->err.c_str(); }

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
    uint64_t off = 0;
    for (auto &w : want) {
        uint64_t addr = kBase + off;
        if (w.size)
            v->bufs.push_back({w.name, addr, w.size, w.writable});
        off += (w.size + kPage - 1) / kPage * kPage + kPage; // a page of guard between buffers
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
    uint64_t t0 = v->t, tdone = 0, beats = sane ? (uint64_t)nsteps * B * (1 + D / 16) : 0;
    uint64_t guard = t0 + 200000 + 400 * beats;
    uint32_t ctrl = 0;
    while (!(ctrl & LP_CTRL_DONE)) {
        for (int i = 0; i < 16; i++) {
            v->tick();
            if (!tdone && v->m->__SYM__interrupt)
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
    if (v->reg_write(LP_REG_ISR, 1)) // acknowledge the interrupt
        return -1;
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
    v->m->final();
    if (v->tfp)
        v->tfp->close();
    delete v;
}

} // extern "C"
