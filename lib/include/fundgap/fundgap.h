// Everything a program using fundgap as a library needs, in one include: read a scenario,
// project it, and report, check, compare, explain, bridge, simulate and write the results.
#pragma once

#include "fundgap/analysis/checks.h"
#include "fundgap/analysis/compare.h"
#include "fundgap/analysis/report.h"
#include "fundgap/analysis/whatif.h"
#include "fundgap/base/money.h"
#include "fundgap/base/output_file.h"
#include "fundgap/input/reader.h"
#include "fundgap/input/references.h"
#include "fundgap/input/schema.h"
#include "fundgap/model/bridge.h"
#include "fundgap/model/explanation.h"
#include "fundgap/model/projection.h"
#include "fundgap/output/board.h"
#include "fundgap/output/format.h"
#include "fundgap/uncertainty/simulation.h"
#include "fundgap/version.h"
