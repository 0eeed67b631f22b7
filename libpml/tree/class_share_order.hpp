// The order of a node's categories for a forest of more than two classes.
//
// With two classes, ordering categories by the share of the second class puts the best Gini or
// entropy partition among the prefixes of the order; with more, no order does, and ranger
// (respect.unordered.factors = "order") uses the first principal component of the categories'
// class shares, after Coppersmith, Hong and Hosking (1999). pml does the same in each node: the
// key of a category is its class-share vector projected on the leading eigenvector of their
// weighted covariance, found by a fixed number of power iterations from a fixed start, so every
// rank and thread computes the same keys from the same exact sums.
#pragma once

namespace pml {

// keys[i] for the n categories whose class weights are stats[i * width + 0 .. n_classes).
void principal_component_keys(const double *stats, int n, int n_classes, int width, double *keys);

}  // namespace pml
