#include "tree/gradient_tree_builder.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "core/heartbeat.hpp"
#include "core/phase_profile.hpp"

namespace pml {

namespace {

// At most this many histograms are kept for open leaves; beyond it (deep depthwise trees) new
// leaves keep none and both children of their splits are built directly.
constexpr size_t kMaxKeptHistograms = 256;
// Batches of at least this many rows are partitioned in parallel, in chunks of this many.
constexpr int64_t kParallelPartitionRows = 32768;
constexpr int64_t kPartitionChunk = 8192;
// Side-by-side work (small partitions, split searches) goes to the threads only when it adds up
// to this many rows or histogram bins; below, waking them costs more than it saves.
constexpr int64_t kParallelWork = 32768;

// The stable partition of rows[begin, end): rows for which goes_left holds first, then the
// others, each in their order. spare[begin, end) is scratch, so leaves can be partitioned side by
// side. Returns the position of the first right row.
template <typename GoesLeft>
int64_t stable_partition(uint32_t *rows, uint32_t *spare, int64_t begin, int64_t end,
                         GoesLeft goes_left) {
  int64_t out = begin, n_right = 0;
  for (int64_t i = begin; i < end; ++i) {
    const uint32_t r = rows[i];
    if (goes_left(r)) {
      rows[out++] = r;
    } else {
      spare[begin + n_right++] = r;
    }
  }
  std::copy(spare + begin, spare + begin + n_right, rows + out);
  return out;
}

// body(std::true_type) for a categorical split's router, body(std::false_type) for a threshold's:
// the loops over rows test the kind once, not per row.
template <typename Router, typename Body>
auto by_split_kind(const Router &router, Body body) {
  return router.test.categories ? body(std::true_type()) : body(std::false_type());
}

}  // namespace

GradientTreeBuilder::GradientTreeBuilder(const BinnedMatrix &matrix,
                                         const GradientTreeParams &params, const Executor &executor,
                                         Communicator *comm)
    : matrix_(matrix),
      params_(params),
      executor_(executor),
      comm_(comm),
      counts_(params.min_samples_leaf > 1),
      histograms_builder_(matrix, executor) {}

template <typename Body>
void GradientTreeBuilder::run_tasks(int64_t n, bool parallel, Body body) const {
  if (parallel && n > 1 && executor_.n_threads() > 1) {
    executor_.for_each_task(n, [&](int64_t t, int) { body(t); });
  } else {
    for (int64_t t = 0; t < n; ++t) body(t);
  }
}

GradientSums GradientTreeBuilder::node_sums(const GradientSums *hist) const {
  // Every row falls in exactly one bin of feature 0 (a value bin or the missing bin).
  GradientSums s;
  for (int b = 0; b < matrix_.n_bins(0); ++b) s.add(hist[b]);
  return s;
}

int GradientTreeBuilder::acquire_histogram() {
  if (!free_histograms_.empty()) {
    int h = free_histograms_.back();
    free_histograms_.pop_back();
    return h;
  }
  if (histograms_.size() >= kMaxKeptHistograms) return -1;
  histograms_.emplace_back();
  histograms_.back().sums.resize(histograms_builder_.size());
  if (counts_) histograms_.back().counts.resize(histograms_builder_.size());
  return static_cast<int>(histograms_.size()) - 1;
}

void GradientTreeBuilder::release_histogram(int h) {
  if (h >= 0) free_histograms_.push_back(h);
}

HistogramJob GradientTreeBuilder::job_for(const OpenLeaf &leaf, KeptHistogram &into) const {
  return {leaf.begin, leaf.end, into.sums.data(), counts_ ? into.counts.data() : nullptr};
}

void GradientTreeBuilder::build(const std::vector<HistogramJob> &jobs) {
  PhaseScope phase(executor_.profile(), "histograms");
  histograms_builder_.build(rows_, gradients_, jobs);
  reduce(jobs);
}

void GradientTreeBuilder::build(const HistogramPlan &plan) {
  build(plan.jobs);
  PhaseScope phase(executor_.profile(), "histograms");
  std::vector<HistogramSubtraction> subtractions;
  for (const HistogramPlan::Subtraction &sub : plan.subtractions) {
    KeptHistogram &parent = histograms_[sub.parent];
    const KeptHistogram &small = histograms_[sub.small];
    subtractions.push_back({parent.sums.data(), small.sums.data(),
                            counts_ ? parent.counts.data() : nullptr,
                            counts_ ? small.counts.data() : nullptr});
  }
  histograms_builder_.subtract(subtractions);
}

void GradientTreeBuilder::reduce(const std::vector<HistogramJob> &jobs) {
  if (!distributed() || jobs.empty()) return;
  // One message for all of them: a level's histograms travel together.
  const size_t bins = histograms_builder_.size();
  std::vector<int64_t> words;
  words.reserve(jobs.size() * bins * (counts_ ? 3 : 2));
  for (const HistogramJob &job : jobs) {
    for (size_t b = 0; b < bins; ++b) {
      words.push_back(job.hist[b].g);
      words.push_back(job.hist[b].h);
    }
    if (job.counts) words.insert(words.end(), job.counts, job.counts + bins);
  }
  comm_->allreduce_sum(words);
  const int64_t *at = words.data();
  for (const HistogramJob &job : jobs) {
    for (size_t b = 0; b < bins; ++b, at += 2) job.hist[b] = {at[0], at[1]};
    if (job.counts) {
      std::copy(at, at + bins, job.counts);
      at += bins;
    }
  }
}

GradientTreeBuilder::LeafRouter GradientTreeBuilder::router_for(const OpenLeaf &leaf) const {
  const BinnedSplit &split = leaf.split;
  const bool wide = matrix_.wide();
  // The split feature's column: rows ascend within a leaf, so this reads memory forwards.
  return {split.test(matrix_.missing_bin(split.feature)),
          wide ? nullptr : matrix_.column<uint8_t>(split.feature),
          wide ? matrix_.column<uint16_t>(split.feature) : nullptr};
}

std::vector<int64_t> GradientTreeBuilder::partition_batch(const std::vector<OpenLeaf> &batch) {
  PhaseScope phase(executor_.profile(), "partition");
  std::vector<int64_t> mids(batch.size());
  int64_t total = 0;
  for (const OpenLeaf &leaf : batch) total += leaf.end - leaf.begin;
  if (executor_.n_threads() == 1 || total < kParallelPartitionRows) {
    for (size_t i = 0; i < batch.size(); ++i) {
      const LeafRouter router = router_for(batch[i]);
      mids[i] = by_split_kind(router, [&](auto set) {
        return stable_partition(rows_, spare_rows_.data(), batch[i].begin, batch[i].end,
                                [&](uint32_t r) { return router.goes_left<set()>(r); });
      });
    }
    return mids;
  }
  // Every leaf of the batch in one parallel pass of fixed-size chunks (so the result does not
  // depend on the thread count), and a second that moves the rows to their places: the same
  // stable partition as one thread's, with two waits per batch, not two per leaf.
  struct Chunk {
    size_t leaf;
    int64_t begin, end, lefts;
  };
  std::vector<Chunk> chunks;
  for (size_t i = 0; i < batch.size(); ++i) {
    for (int64_t b = batch[i].begin; b < batch[i].end; b += kPartitionChunk) {
      chunks.push_back({i, b, std::min(batch[i].end, b + kPartitionChunk), 0});
    }
  }
  std::vector<LeafRouter> routers;
  for (const OpenLeaf &leaf : batch) routers.push_back(router_for(leaf));
  const int64_t n_chunks = static_cast<int64_t>(chunks.size());
  uint32_t *spare = spare_rows_.data();
  // Pass 1: each chunk's left rows from its start of the spare array, right ones from its end
  // backwards.
  executor_.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      Chunk &chunk = chunks[static_cast<size_t>(c)];
      const LeafRouter &router = routers[chunk.leaf];
      chunk.lefts = by_split_kind(router, [&](auto set) {
        int64_t l = chunk.begin, r = chunk.end;
        for (int64_t i = chunk.begin; i < chunk.end; ++i) {
          const uint32_t row = rows_[i];
          if (router.goes_left<set()>(row)) {
            spare[l++] = row;
          } else {
            spare[--r] = row;
          }
        }
        return l - chunk.begin;
      });
    }
  });
  // Where each chunk's rows go: its leaf's lefts before it, and its rights after every left.
  std::vector<int64_t> left_at(chunks.size()), right_at(chunks.size());
  for (size_t c = 0; c < chunks.size();) {
    const size_t leaf = chunks[c].leaf;
    size_t last = c;
    int64_t n_left = 0;
    while (last < chunks.size() && chunks[last].leaf == leaf) n_left += chunks[last++].lefts;
    mids[leaf] = batch[leaf].begin + n_left;
    int64_t lefts = batch[leaf].begin, rights = mids[leaf];
    for (; c < last; ++c) {
      left_at[c] = lefts;
      right_at[c] = rights;
      lefts += chunks[c].lefts;
      rights += chunks[c].end - chunks[c].begin - chunks[c].lefts;
    }
  }
  // Pass 2.
  executor_.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      const Chunk &chunk = chunks[static_cast<size_t>(c)];
      std::copy(spare + chunk.begin, spare + chunk.begin + chunk.lefts, rows_ + left_at[c]);
      // The right rows were stored backwards.
      uint32_t *to = rows_ + right_at[c];
      for (int64_t i = chunk.end - 1; i >= chunk.begin + chunk.lefts; --i) *to++ = spare[i];
    }
  });
  return mids;
}

void GradientTreeBuilder::make_leaf(const OpenLeaf &leaf, GrownGradientTree &out) {
  *out.tree.set_leaf(leaf.node) = params_.learning_rate * leaf.weight;
  out.leaves.push_back({leaf.node, leaf.begin, leaf.end});
  release_histogram(leaf.histogram);
}

void GradientTreeBuilder::open_or_finish(const OpenLeaf &leaf, GrownGradientTree &out) {
  if (leaf.split.found) {
    open_.push_back(leaf);
  } else {
    make_leaf(leaf, out);
  }
}

std::pair<GradientTreeBuilder::OpenLeaf, GradientTreeBuilder::OpenLeaf>
GradientTreeBuilder::split_leaf(const OpenLeaf &leaf, int64_t mid, int64_t left_count,
                                GrownGradientTree &out) const {
  const Split &s = leaf.split;
  const uint32_t left_node = out.tree.add_node();
  const uint32_t right_node = out.tree.add_node();
  store_split(out.tree, leaf.node, s, matrix_, left_node);
  out.split_bins.resize(static_cast<size_t>(out.tree.n_nodes()), -1);
  out.split_bins[leaf.node] = s.bin;
  out.gain[s.feature] += s.gain;
  out.split_count[s.feature] += 1;

  OpenLeaf left{left_node, leaf.begin, mid,        leaf.depth + 1, -1,
                s.left,    leaf.lower, leaf.upper, s.left_weight,  Split()};
  OpenLeaf right{
      right_node, mid,        leaf.end,       leaf.depth + 1, -1, leaf.sums.minus(s.left),
      leaf.lower, leaf.upper, s.right_weight, Split()};
  left.count = left_count;
  right.count = leaf.count - left_count;
  const int8_t mono = params_.monotone.empty() ? 0 : params_.monotone[s.feature];
  if (mono != 0) {
    // The children's outputs must stay on their side of the midpoint of their weights, and so
    // must every leaf below them.
    const double mid_weight = (s.left_weight + s.right_weight) / 2.0;
    if (mono > 0) {
      left.upper = std::min(left.upper, mid_weight);
      right.lower = std::max(right.lower, mid_weight);
    } else {
      left.lower = std::max(left.lower, mid_weight);
      right.upper = std::min(right.upper, mid_weight);
    }
  }
  return {left, right};
}

void GradientTreeBuilder::plan_histograms(const OpenLeaf &parent, OpenLeaf &left, OpenLeaf &right,
                                          HistogramPlan &plan) {
  if (!may_split(left) && !may_split(right)) {
    release_histogram(parent.histogram);
    return;
  }
  // Chosen by the counts over all ranks, so every rank builds the same child's histogram.
  OpenLeaf &small = left.count <= right.count ? left : right;
  OpenLeaf &large = &small == &left ? right : left;
  small.histogram = acquire_histogram();
  if (small.histogram >= 0) plan.jobs.push_back(job_for(small, histograms_[small.histogram]));
  if (parent.histogram >= 0 && small.histogram >= 0) {
    // The parent's histogram becomes the larger child's once the smaller one's is built.
    large.histogram = parent.histogram;
    plan.subtractions.push_back({parent.histogram, small.histogram});
  } else {
    release_histogram(parent.histogram);
    large.histogram = acquire_histogram();
    if (large.histogram >= 0) plan.jobs.push_back(job_for(large, histograms_[large.histogram]));
  }
}

void GradientTreeBuilder::search_children(std::vector<OpenLeaf> &children) {
  PhaseScope phase(executor_.profile(), "split search");
  // Children without a kept histogram (only past kMaxKeptHistograms) use the temporary one in
  // turn; the others are searched in parallel.
  std::vector<size_t> searchable;
  for (size_t i = 0; i < children.size(); ++i) {
    OpenLeaf &child = children[i];
    if (!may_split(child)) continue;
    if (child.histogram >= 0) {
      searchable.push_back(i);
      continue;
    }
    temp_histogram_.sums.resize(histograms_builder_.size());
    if (counts_) temp_histogram_.counts.resize(histograms_builder_.size());
    build({job_for(child, temp_histogram_)});
    find_split(child, temp_histogram_);
  }
  const int64_t candidates = static_cast<int64_t>(searchable.size() * histograms_builder_.size());
  run_tasks(static_cast<int64_t>(searchable.size()), candidates >= kParallelWork, [&](int64_t t) {
    OpenLeaf &child = children[searchable[static_cast<size_t>(t)]];
    find_split(child, histograms_[child.histogram]);
  });
}

void GradientTreeBuilder::finish_last_level(const std::vector<OpenLeaf> &batch,
                                            GrownGradientTree &out) {
  // The nodes and leaf values expand() would make, in the same order: its children at the depth
  // limit become leaves at once.
  for (const OpenLeaf &leaf : batch) {
    auto [left, right] = split_leaf(leaf, leaf.begin, 0, out);
    release_histogram(leaf.histogram);
    *out.tree.set_leaf(left.node) = params_.learning_rate * left.weight;
    *out.tree.set_leaf(right.node) = params_.learning_rate * right.weight;
    out.last_splits.push_back({left.node, right.node, leaf.begin, leaf.end, leaf.split});
  }
}

void GradientTreeBuilder::expand(const std::vector<OpenLeaf> &batch, GrownGradientTree &out) {
  // A batch is one level (depthwise) or one leaf (leafwise): all its leaves have one depth.
  if (!params_.leaf_rows && params_.max_depth > 0 && batch.front().depth + 1 >= params_.max_depth) {
    finish_last_level(batch, out);
    return;
  }
  const std::vector<int64_t> mids = partition_batch(batch);
  // Each left child's rows over all ranks (the right child has the rest of its parent's).
  std::vector<int64_t> left_counts(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) left_counts[i] = mids[i] - batch[i].begin;
  if (distributed()) comm_->allreduce_sum(left_counts);
  // The leaves in order, so nodes are numbered as if they were expanded one by one.
  std::vector<OpenLeaf> children;
  children.reserve(batch.size() * 2);
  HistogramPlan plan;
  for (size_t i = 0; i < batch.size(); ++i) {
    auto [left, right] = split_leaf(batch[i], mids[i], left_counts[i], out);
    plan_histograms(batch[i], left, right, plan);
    children.push_back(left);
    children.push_back(right);
  }
  build(plan);
  search_children(children);
  for (const OpenLeaf &child : children) open_or_finish(child, out);
}

GradientTreeBuilder::OpenLeaf GradientTreeBuilder::grow_root(int64_t n_rows,
                                                             GrownGradientTree &out) {
  OpenLeaf root{out.tree.add_node(),
                0,
                n_rows,
                0,
                acquire_histogram(),
                GradientSums(),
                -std::numeric_limits<double>::infinity(),
                std::numeric_limits<double>::infinity(),
                0.0,
                Split()};
  std::vector<int64_t> root_count{n_rows};
  if (distributed()) comm_->allreduce_sum(root_count);
  root.count = root_count[0];
  KeptHistogram &root_hist = histograms_[root.histogram];
  build({job_for(root, root_hist)});
  root.sums = node_sums(root_hist.sums.data());
  root.weight = leaf_weight(root.sums.g * g_step_, root.sums.h * h_step_, params_.reg, root.lower,
                            root.upper);
  if (may_split(root)) {
    PhaseScope phase(executor_.profile(), "split search");
    find_split(root, root_hist);
  }
  return root;
}

void GradientTreeBuilder::take_batch(int64_t n_leaves, std::vector<OpenLeaf> &batch) {
  batch.clear();
  if (params_.leafwise) {
    // The best gain; ties go to the earlier node.
    size_t pick = 0;
    for (size_t i = 1; i < open_.size(); ++i) {
      if (open_[i].split.gain > open_[pick].split.gain) pick = i;
    }
    batch.push_back(open_[pick]);
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(pick));
    return;
  }
  // The open leaves of the shallowest level, in order, as many as the leaf budget allows.
  const int64_t depth = open_.front().depth;
  size_t take = 0;
  while (take < open_.size() && open_[take].depth == depth &&
         (params_.max_leaves <= 0 || n_leaves + static_cast<int64_t>(take) < params_.max_leaves)) {
    ++take;
  }
  batch.assign(open_.begin(), open_.begin() + static_cast<std::ptrdiff_t>(take));
  open_.erase(open_.begin(), open_.begin() + static_cast<std::ptrdiff_t>(take));
}

GrownGradientTree GradientTreeBuilder::grow(std::vector<uint32_t> &rows, int64_t n_rows,
                                            const GradientPair *gradients, double g_step,
                                            double h_step, const std::vector<char> *features_used) {
  rows_ = rows.data();
  gradients_ = gradients;
  g_step_ = g_step;
  h_step_ = h_step;
  features_used_ = features_used;
  if (spare_rows_.size() < static_cast<size_t>(n_rows)) spare_rows_.resize(n_rows);
  open_.clear();
  free_histograms_.clear();
  for (int i = static_cast<int>(histograms_.size()) - 1; i >= 0; --i) free_histograms_.push_back(i);

  const int n_features = matrix_.n_features();
  GrownGradientTree out{FlatTree(1),
                        {},
                        {},
                        {},
                        std::vector<double>(n_features, 0.0),
                        std::vector<int64_t>(n_features, 0)};
  open_or_finish(grow_root(n_rows, out), out);
  int64_t n_leaves = 1;
  std::vector<OpenLeaf> batch;
  while (!open_.empty() && (params_.max_leaves <= 0 || n_leaves < params_.max_leaves)) {
    heartbeat();  // a stop must not wait for a large tree
    take_batch(n_leaves, batch);
    n_leaves += static_cast<int64_t>(batch.size());
    expand(batch, out);
  }
  for (const OpenLeaf &leaf : open_) make_leaf(leaf, out);
  open_.clear();
  out.split_bins.resize(static_cast<size_t>(out.tree.n_nodes()), -1);
  out.tree.finish();
  return out;
}

uint32_t GradientTreeBuilder::route(const GrownGradientTree &tree, const BinnedMatrix &matrix,
                                    int64_t row) {
  const std::vector<TreeNode> &nodes = tree.tree.nodes();
  const int n_features = matrix.n_features();
  uint32_t at = 0;
  while (!nodes[at].is_leaf()) {
    const TreeNode &node = nodes[at];
    const int64_t idx = row * n_features + node.feature;
    const int b = matrix.wide() ? matrix.bins<uint16_t>()[idx] : matrix.bins<uint8_t>()[idx];
    // BinTest::goes_left written out from the node and split_bins: making a BinnedSplit per
    // level costs this walk (every row, every tree, when rows are subsampled) 4% more instructions.
    const bool left = b == matrix.missing_bin(node.feature) ? node.missing_left()
                      : node.is_categorical()               ? tree.tree.in_category_set(node, b)
                                                            : b <= tree.split_bins[at];
    at = node.left() + (left ? 0u : 1u);
  }
  return at;
}

}  // namespace pml
