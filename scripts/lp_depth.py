#!/usr/bin/env python3
"""The longest register-to-register path of a mapped netlist, in logic levels.

Usage: lp_depth.py NETLIST.json [--csv] [--top MODULE]

NETLIST.json is Yosys `write_json` after `synth_xilinx`, flattened or hierarchical: the
walk starts at the top module (the one Yosys marked top, or --top) and descends into every
instance of a module the file defines, so a hierarchical netlist is walked as if flattened
(each instance with its own nets; names are instance paths, "u_step.u_dot.acc_q[3]").

A level is one combinational cell: LUT1..LUT6 and INV, CARRY4/CARRY8, MUXF7..9, and the
asynchronous read of a distributed RAM (RAM32M16 ...: address in, data out; its write data
and enable end a path). Every other cell (FDRE/FDSE/FDCE/FDPE, DSP48E2, RAMB*, URAM, SRL*)
ends a path and starts the next, and so do the top module's ports (inputs and outputs
count as registers). A cell's level is 1 + the highest level among the cells driving its
inputs; the depth is the highest level.

Without --csv: prints the depth alone (scripts/resources.sh's logic depth column).
With --csv: prints one line
    levels,lut_levels,carry_levels,path,from,to
where lut_levels counts LUTs, INVs, LUTRAM reads and MUXFs (the slice's wide-function
muxes) on the worst path,
carry_levels its CARRY cells, path the cell types from the start register to the end
register joined by " > " (a run of one type as "CARRY4 x3"), from/to the start and end
points (the register's output net or the port, its cell type in brackets).
"""
import functools
import json
import sys

COMB = ("LUT", "CARRY", "MUXF")


def is_lutram(cell_type):
    # distributed RAM (RAM32M16, RAM64M, RAM32X1D, ...): written on the clock, read
    # asynchronously - a LUT on the path from its address to its data output
    return cell_type.startswith("RAM") and not cell_type.startswith("RAMB")


def is_comb(cell_type):
    # INV: the inverter synth_xilinx leaves after ABC (a LUT1 in Vivado)
    return cell_type.startswith(COMB) or cell_type == "INV" or is_lutram(cell_type)


class Netlist:
    """The leaf cells under one top module, every instance expanded."""

    def __init__(self, path, top=None):
        mods = json.load(open(path))["modules"]
        if top is None:
            top = next((n for n, m in mods.items() if m.get("attributes", {}).get("top")), None)
            if top is None:
                top = next(iter(mods))
        if top not in mods:
            raise SystemExit(f"lp_depth: no module {top} in {path}")
        self.mods = mods

        def flag(m, a):
            v = m.get("attributes", {}).get(a, 0)
            return int(v, 2) if isinstance(v, str) else int(v)
        # the modules to descend into: not the cell library (blackboxes, whiteboxes)
        self.expand = {n for n, m in mods.items()
                       if not (flag(m, "blackbox") or flag(m, "whitebox"))}
        self.cells = {}    # name -> (type, input bits, output bits)
        self.names = {}    # bit -> (rank, readable net name)
        self.parent = {}   # union-find over bits: nets joined through instance ports
        self.next = 1 + max((b for m in mods.values() for n in m.get("netnames", {}).values()
                             for b in n["bits"] if isinstance(b, int)), default=0)
        top_mod = mods[top]
        self.in_ports, self.out_ports = {}, {}
        for pn, p in top_mod.get("ports", {}).items():
            for i, b in enumerate(p["bits"]):
                if isinstance(b, int):
                    label = pn if len(p["bits"]) == 1 else f"{pn}[{i}]"
                    (self.in_ports if p["direction"] == "input" else self.out_ports)[b] = label
        self._expand(top, "", None)
        # every bit to its net's representative
        f = self.find
        self.cells = {n: (t, [f(b) for b in i], [f(b) for b in o]) for n, (t, i, o) in self.cells.items()}
        names = {}
        for b, v in self.names.items():
            r = f(b)
            if r not in names or v[0] < names[r][0]:
                names[r] = v
        self.names = {b: v[1] for b, v in names.items()}
        self.in_ports = {f(b): v for b, v in self.in_ports.items()}
        self.out_ports = {f(b): v for b, v in self.out_ports.items()}

    def find(self, b):
        p = self.parent
        root = b
        while p.get(root, root) != root:
            root = p[root]
        while p.get(b, b) != root:
            p[b], b = root, p[b]
        return root

    def _expand(self, mname, prefix, portmap):
        m = self.mods[mname]
        local = {}   # this instance's bit -> global bit
        if portmap is not None:
            local.update(portmap)

        def g(b):
            if not isinstance(b, int):
                return None   # a constant drives nothing
            if b not in local:
                if portmap is None:
                    local[b] = b          # the top keeps its own numbering
                else:
                    local[b] = self.next
                    self.next += 1
            return local[b]

        ports = set(m.get("ports", {}))
        for n, info in m.get("netnames", {}).items():
            if info.get("hide_name", 0) or n.startswith("$"):
                continue
            bits = info["bits"]
            # a register's own name before the port it drives; shallow, short names first
            rank = (n in ports, prefix.count("."), len(n), prefix + n)
            for i, b in enumerate(bits):
                gb = g(b)
                if gb is None:
                    continue
                label = prefix + (n if len(bits) == 1 else f"{n}[{i + info.get('offset', 0)}]")
                if gb not in self.names or rank < self.names[gb][0]:
                    self.names[gb] = (rank, label)
        for cname, c in m["cells"].items():
            t = c["type"]
            if t in self.expand:   # an instance of a module of the netlist: descend
                sub = self.mods[t]
                pm = {}
                for pn, pinfo in sub.get("ports", {}).items():
                    for lb, b in zip(pinfo["bits"], c["connections"].get(pn, [])):
                        gb = g(b)
                        if not isinstance(lb, int) or gb is None:
                            continue
                        if lb in pm and pm[lb] != gb:   # one net on two ports: join them
                            self.parent[self.find(gb)] = self.find(pm[lb])
                        else:
                            pm[lb] = gb
                self._expand(t, prefix + cname.lstrip("\\") + ".", pm)
                continue
            ins, outs = [], []
            for port, bits in c["connections"].items():
                dirn = c.get("port_directions", {}).get(port, "input")
                if dirn != "output" and is_lutram(t) and not port.startswith(("ADDR", "A", "DPRA")):
                    continue   # its data and write enable end a path at the clock edge
                (outs if dirn == "output" else ins).extend(x for x in map(g, bits) if x is not None)
            self.cells[prefix + cname] = (t, ins, outs)


def analyse(net):
    """-> (levels, the worst path's cells [first..last], combinational drivers of each bit)"""
    drivers = {}   # bit -> combinational cell name
    inputs = {}    # combinational cell -> input bits
    for name, (t, ins, outs) in net.cells.items():
        if is_comb(t):
            inputs[name] = ins
            for b in outs:
                drivers[b] = name
    sys.setrecursionlimit(100000)
    pred = {}

    # the recursion goes as deep as the logic (levels), not as the netlist is large
    @functools.lru_cache(maxsize=None)
    def level(cell):
        best, arg = 0, None
        for b in inputs[cell]:
            src = drivers.get(b)
            if src is not None and src != cell:
                lv = level(src)
                if lv > best:
                    best, arg = lv, src
        pred[cell] = arg
        return best + 1

    worst, worst_cell = 0, None
    for c in inputs:
        lv = level(c)
        if lv > worst:
            worst, worst_cell = lv, c
    path = []
    c = worst_cell
    while c is not None:
        path.append(c)
        c = pred.get(c)
    path.reverse()
    return worst, path, drivers


def end_points(net, path, drivers):
    def point(cell):
        t, _, outs = net.cells[cell]
        label = net.names.get(outs[0], cell) if outs else cell
        return f"{label} [{t}]"

    seq_driver = {}
    for name, (t, ins, outs) in net.cells.items():
        if not is_comb(t):
            for b in outs:
                seq_driver[b] = name
    # the start: an input of the first cell that no combinational cell drives
    start = "?"
    for b in net.cells[path[0]][1]:
        if b in drivers:
            continue
        if b in seq_driver:
            start = point(seq_driver[b])
            break
        if b in net.in_ports and start == "?":
            start = f"{net.in_ports[b]} [input]"
    # the end: a register (or an output port) the last cell drives
    outset = set(net.cells[path[-1]][2])
    end = "?"
    for name, (t, ins, outs) in net.cells.items():
        if not is_comb(t) and outset.intersection(ins):
            end = point(name)
            break
    if end == "?":
        end = next((f"{net.out_ports[b]} [output]" for b in outset if b in net.out_ports), "?")
    return start, end


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    top = None
    if "--top" in argv:
        top = argv[argv.index("--top") + 1]
        args.remove(top)
    if len(args) != 1:
        print("usage: lp_depth.py NETLIST.json [--csv] [--top MODULE]", file=sys.stderr)
        return 2
    net = Netlist(args[0], top)
    worst, path, drivers = analyse(net)
    if "--csv" not in argv:
        print(worst)
        return 0
    if not path:
        print("0,0,0,(no logic between registers),,")
        return 0
    types = [net.cells[c][0] for c in path]
    carry = sum(t.startswith("CARRY") for t in types)
    start, end = end_points(net, path, drivers)
    runs = []   # runs of one type: "CARRY4 x3"
    for t in types:
        if runs and runs[-1][0] == t:
            runs[-1][1] += 1
        else:
            runs.append([t, 1])
    path_s = " > ".join(t if k == 1 else f"{t} x{k}" for t, k in runs)
    clean = lambda s: s.replace(",", ";").replace("\\", "")
    print(f"{worst},{worst - carry},{carry},{path_s},{clean(start)},{clean(end)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
