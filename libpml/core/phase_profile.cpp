#include "core/phase_profile.hpp"

#include <cstdio>

#include "core/number_text.hpp"

namespace pml {

PhaseProfile::PhaseProfile(int n_threads)
    : n_threads_(n_threads), owner_(std::this_thread::get_id()), since_(Clock::now()) {
  phases_.push_back(Phase{"other"});
}

void PhaseProfile::account_until(Clock::time_point now) {
  phases_[current_.load(std::memory_order_relaxed)].wall +=
      std::chrono::duration<double>(now - since_).count();
  since_ = now;
}

int PhaseProfile::enter(const char *name) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  account_until(now);
  const int previous = current_.load(std::memory_order_relaxed);
  int index = 0;
  while (index < static_cast<int>(phases_.size()) && phases_[index].name != name) ++index;
  if (index == static_cast<int>(phases_.size())) phases_.push_back(Phase{name});
  current_.store(index, std::memory_order_relaxed);
  return previous;
}

void PhaseProfile::leave_to(int previous) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  account_until(now);
  current_.store(previous, std::memory_order_relaxed);
}

void PhaseProfile::add_loop(double wall_seconds, double busy_thread_seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  Phase &phase = phases_[current_.load(std::memory_order_relaxed)];
  phase.in_loops += wall_seconds;
  phase.busy += busy_thread_seconds;
  ++phase.loops;
}

std::vector<PhaseProfile::Phase> PhaseProfile::phases() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Phase> out = phases_;
  // The current phase's time so far (the caller reads the profile while still in it).
  out[current_.load(std::memory_order_relaxed)].wall +=
      std::chrono::duration<double>(Clock::now() - since_).count();
  return out;
}

std::vector<std::string> PhaseProfile::table() const {
  std::vector<std::string> out;
  char line[256];
  std::snprintf(line, sizeof line, "%-20s %9s %9s %9s %9s %9s %7s", "phase", "wall s", "in loops",
                "busy", "1-thread", "waiting", "loops");
  out.push_back(line);
  for (const Phase &p : phases()) {
    // One-thread time: the phase's wall outside its loops; waiting: thread-seconds the threads
    // other than one spent idle during the phase.
    const double serial = p.wall - p.in_loops;
    const double waiting = n_threads_ * p.wall - p.busy - serial;
    // Seconds through format_fixed, not "%9.3f": a '.' whatever the host's locale.
    std::snprintf(line, sizeof line, "%-20s %9s %9s %9s %9s %9s %7lld", p.name.c_str(),
                  format_fixed(p.wall, 3).c_str(), format_fixed(p.in_loops, 3).c_str(),
                  format_fixed(p.busy, 3).c_str(), format_fixed(serial, 3).c_str(),
                  format_fixed(waiting, 3).c_str(), static_cast<long long>(p.loops));
    out.push_back(line);
  }
  return out;
}

PhaseScope::PhaseScope(PhaseProfile *profile, const char *name, bool hold) : profile_(profile) {
  if (profile_ && (std::this_thread::get_id() != profile_->owner() || profile_->held())) {
    profile_ = nullptr;
  }
  if (!profile_) return;
  previous_ = profile_->enter(name);
  held_ = hold;
  if (hold) profile_->set_held(true);
}

PhaseScope::~PhaseScope() {
  if (!profile_) return;
  if (held_) profile_->set_held(false);
  profile_->leave_to(previous_);
}

}  // namespace pml
