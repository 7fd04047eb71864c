// lp_vmodel.h - a Verilated model together with the VerilatedContext it runs in: how every
// harness under sim/ owns one (the virtual card's SystemC models keep their own contexts the
// same way; lp_vkernel also makes its model's context current before each cycle, for the
// RTL's assertions).
//
// Verilator 5.006 (include/verilated.cpp, VerilatedScope) registers a model's scopes - one
// per instance with a public signal (the FP units' data inputs: docs/fpu.md) or an assertion
// - in the calling thread's *current* context when the model is built, and erases them from
// the then-current context when it is destroyed, not from the model's own; constructing a
// VerilatedContext makes it the current one. A process that opens several harnesses (a test
// comparing backends, lpsgd's verilator and vcard backends) would erase one model's scopes
// from another harness's context, perhaps one already deleted: a hang on its mutex or a
// crash (seen: bench_kernel hung in lp_vsgd_close). lp_vmodel makes its own context current
// around both.
#pragma once

#include <memory>

#include "verilated.h"

template <class M> struct lp_vmodel {
    VerilatedContext ctx;
    std::unique_ptr<M> m;

    // name: the model's instance name; trace: the model may be traced (VerilatedFstC)
    explicit lp_vmodel(const char *name, bool trace = false)
    {
        if (trace)
            ctx.traceEverOn(true);
        Verilated::threadContextp(&ctx);
        m.reset(new M{&ctx, name});
    }
    ~lp_vmodel()
    {
        Verilated::threadContextp(&ctx);
        m.reset();
    }
    lp_vmodel(const lp_vmodel &) = delete;
    lp_vmodel &operator=(const lp_vmodel &) = delete;

    M *operator->() const { return m.get(); }
    M &operator*() const { return *m; }
    M *get() const { return m.get(); }
};
