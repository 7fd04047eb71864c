// lp_vcard.cpp - the virtual card (lp_vcard.h): elaboration of the channels, interconnect,
// PCIe DMA and compute units of a preset and a connectivity file, and the device calls,
// each of which runs the SystemC kernel until what it waits for has happened.
#include "lp_vcard.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "lp_vcard_cfg.h"
#include "lp_vcard_cu.h"
#include "lp_vcard_tlm.h"

extern "C" {
#include "sgd/lp_sgd_regmap.h"
}

using namespace sc_core;

// libsystemc's main() calls sc_main; programs using the card have their own main
int sc_main(int, char **) { return 2; }

struct lp_vcard {
    vcard::CardSpec card;
    vcard::Connectivity conn;
    std::unique_ptr<vcard::Router> router;
    std::vector<std::unique_ptr<vcard::Channel>> ch;
    std::unique_ptr<vcard::Pcie> pcie;
    std::vector<std::unique_ptr<vcard::Cu>> cu;
    struct Alloc {
        uint64_t addr, size;
    };
    std::vector<Alloc> allocs;
    std::string err;

    int fail(const std::string &m)
    {
        err = m;
        return -1;
    }
    const Alloc *find(uint64_t a, uint64_t n) const
    {
        for (const Alloc &b : allocs)
            if (a >= b.addr && a + n <= b.addr + b.size)
                return &b;
        return nullptr;
    }
    // run the simulation until done() (each process that may satisfy it pauses it)
    template <class F> void run_until(F done)
    {
        while (!done() && sc_pending_activity())
            sc_start();
    }
    int dma(bool to_card, uint64_t addr, void *host, uint64_t n);
};

namespace {

bool g_opened = false; // SystemC elaborates once per process

std::string build(lp_vcard *c, const lp_vcard_opts_t *o)
{
    std::string cardname = o->card ? o->card : "";
    if (!vcard::card_preset(cardname, &c->card))
        return "unknown card '" + cardname + "' (u250, u280, u55c)";
    vcard::PcieSpec ps;
    if (!vcard::pcie_preset(o->pcie ? o->pcie : "gen3x16", &ps))
        return std::string("unknown PCIe preset '") + o->pcie + "' (gen3x16, gen4x8)";
    std::string cfg = o->cfg ? o->cfg : "constraints/" + cardname + ".cfg";
    std::string e = vcard::parse_connectivity(cfg, c->card, &c->conn);
    if (!e.empty())
        return e;
    size_t ncu = o->cus ? o->cus : c->conn.cus.size();
    if (ncu > c->conn.cus.size() || ncu > LP_VCARD_MAX_CUS)
        return cfg + " instantiates " + std::to_string(c->conn.cus.size()) + " compute unit(s) (nk=lp_sgd:N); " +
               std::to_string(ncu) + " asked for";
    c->conn.cus.resize(ncu);
    c->router.reset(new vcard::Router("noc"));
    c->router->nbanks = c->card.banks.size();
    for (size_t i = 0; i < c->card.banks.size(); i++) {
        std::string nm = "bank" + std::to_string(i);
        c->ch.emplace_back(new vcard::Channel(nm.c_str(), c->card.banks[i], vcard::kBankBase + i * vcard::kBankSpan,
                                              o->ideal_memory != 0));
        c->router->init.bind(c->ch.back()->socket);
    }
    c->pcie.reset(new vcard::Pcie("pcie", ps));
    c->pcie->sock.bind(c->router->tgt);
    for (size_t i = 0; i < ncu; i++) {
        c->cu.emplace_back(new vcard::Cu(c->conn.cus[i].name.c_str(), c->conn.mhz));
        vcard::Cu &u = *c->cu.back();
        u.gmem0.bind(c->router->tgt);
        u.gmem1.bind(c->router->tgt);
        u.rng.s = o->seed ? o->seed : 1;
        u.stalls = o->stalls != 0;
        u.rd_latency = o->fabric_latency ? o->fabric_latency : 2;
        u.fx.aw_after_w = o->aw_after_w != 0;
    }
    return "";
}

} // namespace

int lp_vcard::dma(bool to_card, uint64_t addr, void *host, uint64_t n)
{
    if (!n)
        return 0;
    if (!find(addr, n)) {
        char m[160];
        snprintf(m, sizeof m, "DMA of %llu bytes at 0x%llx: not inside one buffer", (unsigned long long)n,
                 (unsigned long long)addr);
        return fail(m);
    }
    vcard::Pcie &p = *pcie;
    p.to_card = to_card;
    p.addr = addr;
    p.n = n;
    p.host = static_cast<uint8_t *>(host);
    p.pending = true;
    p.go.notify(SC_ZERO_TIME);
    run_until([&] { return !p.pending; });
    return p.pending || p.rc ? fail("DMA failed (no DMI to the buffer)") : 0;
}

extern "C" {

lp_vcard_t *lp_vcard_open(const lp_vcard_opts_t *o, char *err, size_t errlen)
{
    if (g_opened) {
        snprintf(err, errlen, "vcard: one virtual card per process (SystemC elaborates once)");
        return nullptr;
    }
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    std::unique_ptr<lp_vcard> c(new lp_vcard);
    std::string e = build(c.get(), o);
    if (!e.empty()) {
        snprintf(err, errlen, "vcard: %s", e.c_str());
        return nullptr; // nothing elaborated yet: a later open may still succeed
    }
    g_opened = true;
    sc_start(SC_ZERO_TIME); // elaboration, the processes' first delta
    vcard::Cu *bad = nullptr;
    c->run_until([&] {
        for (auto &u : c->cu)
            if (!u->ready)
                return false;
        return true;
    });
    for (auto &u : c->cu)
        if (!u->ready || u->rc)
            bad = u.get();
    if (bad) {
        snprintf(err, errlen, "vcard: %s: reset: %s", bad->name(), bad->err.c_str());
        lp_vcard_close(c.release()); // the elaborated modules stay (see lp_vcard_close)
        return nullptr;
    }
    return c.release();
}

uint32_t lp_vcard_cus(const lp_vcard_t *c) { return (uint32_t)c->cu.size(); }
uint32_t lp_vcard_max_classes(const lp_vcard_t *c) { return c->cu.front()->max_classes(); }
uint32_t lp_vcard_banks(const lp_vcard_t *c) { return (uint32_t)c->card.banks.size(); }
const char *lp_vcard_bank_name(const lp_vcard_t *c, uint32_t bank)
{
    return bank < c->card.banks.size() ? c->card.banks[bank].name.c_str() : "?";
}
uint32_t lp_vcard_arg_bank(const lp_vcard_t *c, uint32_t cu, uint32_t arg)
{
    return cu < c->conn.cus.size() && arg < 4 ? c->conn.cus[cu].bank[arg] : 0;
}
uint32_t lp_vcard_cu_slr(const lp_vcard_t *c, uint32_t cu) { return cu < c->conn.cus.size() ? c->conn.cus[cu].slr : 0; }
const char *lp_vcard_cu_name(const lp_vcard_t *c, uint32_t cu)
{
    return cu < c->conn.cus.size() ? c->conn.cus[cu].name.c_str() : "?";
}
double lp_vcard_bank_gbps(const lp_vcard_t *c, uint32_t bank)
{
    return bank < c->card.banks.size() ? c->card.banks[bank].gbps : 0;
}

int lp_vcard_alloc(lp_vcard_t *c, uint32_t bank, uint64_t size, uint64_t *addr)
{
    if (bank >= c->ch.size())
        return c->fail("no bank " + std::to_string(bank));
    if (c->ch[bank]->alloc(size, addr))
        return c->fail("bank " + c->card.banks[bank].name + ": no room for " + std::to_string(size) + " bytes");
    c->allocs.push_back({*addr, (size + 4095) / 4096 * 4096});
    return 0;
}

int lp_vcard_write(lp_vcard_t *c, uint64_t addr, const void *src, uint64_t n)
{
    return c->dma(true, addr, const_cast<void *>(src), n);
}
int lp_vcard_read(lp_vcard_t *c, uint64_t addr, void *dst, uint64_t n) { return c->dma(false, addr, dst, n); }

int lp_vcard_set_arg(lp_vcard_t *c, uint32_t cu, uint32_t arg, uint64_t value)
{
    if (cu >= c->cu.size() || arg >= LP_SGD_NARGS)
        return c->fail("no compute unit " + std::to_string(cu) + " / argument " + std::to_string(arg));
    c->cu[cu]->args[arg] = value;
    return 0;
}

int lp_vcard_start(lp_vcard_t *c, uint32_t cu)
{
    if (cu >= c->cu.size())
        return c->fail("no compute unit " + std::to_string(cu));
    vcard::Cu &u = *c->cu[cu];
    if (u.pending || u.running)
        return c->fail(std::string(u.name()) + ": a run is in flight (one per compute unit)");
    // the checks' buffers: each pointer argument's allocation, written only through model, stats
    u.run_bufs.clear();
    for (int a = 0; a < 4; a++) {
        const lp_vcard::Alloc *b = c->find(u.args[a], 1);
        if (b)
            u.run_bufs.push_back({lp_sgd_args[a].name, b->addr, b->size, a == LP_ARG_MODEL || a == LP_ARG_STATS});
    }
    u.pending = true;
    u.starts++;
    u.go.notify(SC_ZERO_TIME);
    return 0;
}

int lp_vcard_wait(lp_vcard_t *c, uint32_t cu)
{
    if (cu >= c->cu.size())
        return c->fail("no compute unit " + std::to_string(cu));
    vcard::Cu &u = *c->cu[cu];
    if (!u.starts)
        return c->fail(std::string(u.name()) + ": no run was started");
    uint64_t runs = u.starts; // this CU's runs, one at a time: the last one started
    u.waited = true;
    c->run_until([&] { return u.runs >= runs; });
    u.waited = false;
    if (u.runs < runs)
        return c->fail(std::string(u.name()) + ": the simulation stopped before the run ended");
    return u.rc ? c->fail(std::string(u.name()) + ": " + u.err) : 0;
}

void lp_vcard_perf(const lp_vcard_t *c, lp_vcard_perf_t *p)
{
    *p = lp_vcard_perf_t{};
    p->sim_seconds = sc_time_stamp().to_seconds();
    p->clock_mhz = c->conn.mhz;
    for (size_t i = 0; i < c->cu.size(); i++) {
        const vcard::Cu &u = *c->cu[i];
        p->runs[i] = u.runs;
        p->cycles[i] = u.cycles;
        p->last_cycles[i] = u.last_cycles;
        for (int k = 0; k < 3; k++)
            p->port_bytes[i][k] = u.bytes[k];
    }
    for (size_t i = 0; i < c->ch.size() && i < LP_VCARD_MAX_BANKS; i++) {
        p->bank_rd_bytes[i] = c->ch[i]->rd_bytes;
        p->bank_wr_bytes[i] = c->ch[i]->wr_bytes;
        p->bank_busy_s[i] = c->ch[i]->busy.to_seconds();
    }
    for (int d = 0; d < 2; d++) {
        p->pcie_bytes[d] = c->pcie->bytes[d];
        p->pcie_busy_s[d] = c->pcie->busy[d].to_seconds();
    }
}

void lp_vcard_plant(lp_vcard_t *c, uint32_t cu, int plant)
{
    if (cu < c->cu.size())
        c->cu[cu]->plant = plant;
}

const char *lp_vcard_error(const lp_vcard_t *c) { return c->err.c_str(); }

// the models' final(); the modules stay (SystemC cannot take an elaborated design apart)
void lp_vcard_close(lp_vcard_t *c)
{
    if (!c)
        return;
    for (auto &u : c->cu) {
        u->finish();
        (void)u.release(); // leaked on purpose, see above
    }
    for (auto &h : c->ch)
        (void)h.release();
    (void)c->router.release();
    (void)c->pcie.release();
    delete c;
}

} // extern "C"
