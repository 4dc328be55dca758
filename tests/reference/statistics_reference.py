import numpy as np, scipy, scipy.stats as st
from statsmodels.stats.multitest import multipletests
np.set_printoptions(precision=17)
def r(v): return repr(float(v))
rng = np.random.default_rng(42)
x = np.round(rng.normal(1.0, 1.0, 10), 3); y = np.round(rng.normal(0.4, 1.0, 10), 3)
print("x", list(x)); print("y", list(y))
w = st.wilcoxon(x, y, method='exact'); print("wilcoxon exact", r(w.statistic), r(w.pvalue))
w = st.wilcoxon(x, y, method='approx'); print("wilcoxon approx", r(w.statistic), r(w.pvalue))
print("r_plus", r(st.wilcoxon(x, y, method='exact', alternative='greater').statistic))
t = st.ttest_rel(x, y); print("ttest_rel", r(t.statistic), r(t.pvalue))
# ties and zeros
xt = np.array([1.5, 2.0, 3.0, 2.5, 4.0, 1.0, 2.0, 3.5, 2.5, 3.0, 5.0, 2.0])
yt = np.array([1.0, 2.5, 2.0, 2.0, 3.0, 1.0, 1.0, 2.5, 3.0, 2.0, 3.0, 1.5])
w = st.wilcoxon(xt, yt, method='approx'); print("ties wilcoxon approx", r(w.statistic), r(w.pvalue))
# n = 30 exact
x30 = np.round(rng.normal(0.3, 1.0, 30), 4); y30 = np.round(rng.normal(0.0, 1.0, 30), 4)
print("x30", list(x30)); print("y30", list(y30))
w = st.wilcoxon(x30, y30, method='exact'); print("wilcoxon exact 30", r(w.statistic), r(w.pvalue))
a = np.round(rng.normal(0, 1, 7), 3); b = np.round(rng.normal(1.2, 2, 11), 3)
print("a", list(a)); print("b", list(b))
t = st.ttest_ind(a, b, equal_var=False); print("welch", r(t.statistic), r(t.pvalue))
m = st.mannwhitneyu(a[:5], b[:7], method='exact'); print("mwu exact 5x7", r(m.statistic), r(m.pvalue))
m = st.mannwhitneyu(a, b, method='exact'); print("mwu exact 7x11", r(m.statistic), r(m.pvalue))
m = st.mannwhitneyu(a, b, method='asymptotic'); print("mwu asym 7x11", r(m.statistic), r(m.pvalue))
c = np.array([1,2,2,3,3,3,4,5,5,6,7,7.]); e = np.array([2,3,4,4,5,6,6,6,7,8,8,9,9,10.])
m = st.mannwhitneyu(c, e); print("mwu ties auto", r(m.statistic), r(m.pvalue))
# effect sizes
d = x - y
print("dz", r(np.mean(d)/np.std(d, ddof=1)))
n1, n2 = len(a), len(b)
sp = np.sqrt(((n1-1)*np.var(a, ddof=1) + (n2-1)*np.var(b, ddof=1))/(n1+n2-2))
print("cohen d", r((np.mean(a)-np.mean(b))/sp))
U1 = st.mannwhitneyu(a, b).statistic; print("rank biserial", r(2*U1/(n1*n2)-1))
# FDR: Benjamini & Hochberg 1995, section 4 example
p = [0.0001,0.0004,0.0019,0.0095,0.0201,0.0278,0.0298,0.0344,0.0459,0.3240,0.4262,0.5719,0.6528,0.7590,1.000]
rej, bh, _, _ = multipletests(p, alpha=0.05, method='fdr_bh'); print("bh", list(map(r,bh)), int(rej.sum()))
rej, by, _, _ = multipletests(p, alpha=0.05, method='fdr_by'); print("by", list(map(r,by)), int(rej.sum()))
p2 = [0.04, 0.01, 0.03, 0.01, 0.2, 0.04]
print("bh2", list(map(r, multipletests(p2, method='fdr_bh')[1])))
print("by2", list(map(r, multipletests(p2, method='fdr_by')[1])))
# bootstrap
res = st.bootstrap((d,), lambda v, axis=-1: np.mean(v, axis=axis)/np.std(v, ddof=1, axis=axis), method='percentile', n_resamples=20000, random_state=0, vectorized=True)
print("boot dz", r(res.confidence_interval.low), r(res.confidence_interval.high))
res = st.bootstrap((d,), lambda v, axis=-1: np.mean(v, axis=axis), method='percentile', n_resamples=20000, random_state=0, vectorized=True)
print("boot mean", r(res.confidence_interval.low), r(res.confidence_interval.high))
print(scipy.__version__)
