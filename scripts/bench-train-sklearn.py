#!/usr/bin/python3
"""The peer of scripts/bench-train.sh: scikit-learn's SGDClassifier on Fashion-MNIST.

Reads the same Debian IDX files as lpsgd (pixels / 255 as float32), trains
SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=EPOCHS, tol=None) - logistic loss,
the same L2 weight as `lpsgd train`, one-vs-rest, one thread - and prints one JSON line:
load and fit seconds, train and test accuracy.
"""
import gzip, json, struct, sys, time
import numpy as np

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    nd = magic & 0xFF
    dims = struct.unpack(">" + "I" * nd, data[4:4 + 4 * nd])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)

def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDClassifier
    warnings.simplefilter("ignore", ConvergenceWarning)
    t0 = time.perf_counter()
    c0 = time.process_time()
    xtr = idx(d + "/train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32) / 255.0
    ytr = idx(d + "/train-labels-idx1-ubyte.gz")
    xte = idx(d + "/t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float32) / 255.0
    yte = idx(d + "/t10k-labels-idx1-ubyte.gz")
    t1 = time.perf_counter()
    c1 = time.process_time()
    clf = SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=epochs, tol=None, random_state=0, n_jobs=1)
    clf.fit(xtr, ytr)
    t2 = time.perf_counter()
    c2 = time.process_time()
    acc_te = float(clf.score(xte, yte))
    acc_tr = float(clf.score(xtr, ytr))
    import sklearn
    print(json.dumps({"peer": "sklearn.linear_model.SGDClassifier(loss='log_loss', alpha=1e-4, max_iter=%d, tol=None, n_jobs=1)" % epochs,
                      "sklearn": sklearn.__version__, "load_seconds": t1 - t0, "fit_seconds": t2 - t1,
                      "fit_cpu_seconds": c2 - c1, "total_cpu_seconds": c2 - c0,
                      "train_acc": acc_tr, "test_acc": acc_te}))

main()
