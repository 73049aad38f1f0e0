"""Fill cells of a workbook in LibreOffice, recalculate and save it as .xlsx.

    /usr/bin/python3 tests/office/fill.py IN.xlsx OUT.xlsx SPEC.json

SPEC.json: {"sheet": "统计表", "cells": {"A4": "2017-11-02", "B4": {"list": 2}, "E4": 320},
"inspect": ["A4", "B4", "E4"]}. A number is set as a number; a string as if typed (so a date
typed into a date cell becomes a date); {"list": n} is the n-th entry (from 0) of the cell's
dropdown list, read from the validation LibreOffice sees. Prints JSON on stdout: for every
inspected cell its validation (type, operator, formula, alert style, list entries), and the time
each step took.
"""

import json
import os
import sys
import time

# Leave no __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lo import office, props, url  # noqa: E402


def enum_name(v):
    return getattr(v, "value", str(v))


def list_entries(doc, sheet, formula):
    """Entries of a list validation: its source range, or the quoted strings of an inline list."""
    f = formula.lstrip("=")
    if f.startswith('"'):
        return [s.strip('"') for s in f.split(";")]
    # A reference such as $'填表说明'.$A$13:$A$19 (LibreOffice syntax) or '填表说明'!$A$13:$A$19.
    if "!" in f:
        name, rng = f.rsplit("!", 1)
    elif "." in f:
        name, rng = f.rsplit(".", 1)
    else:
        name, rng = None, f
    src = sheet
    if name is not None:
        src = doc.Sheets.getByName(name.lstrip("$").strip("'"))
    data = src.getCellRangeByName(rng.replace("$", "")).getDataArray()
    return [row[0] for row in data]


def validation_of(doc, sheet, cell):
    v = cell.getPropertyValue("Validation")
    out = {
        "type": enum_name(v.Type),
        "operator": enum_name(v.getOperator()),
        "formula1": v.getFormula1(),
        "formula2": v.getFormula2(),
        "alert": enum_name(v.ErrorAlertStyle),
        "show_error": bool(v.ShowErrorMessage),
    }
    if out["type"] == "LIST":
        out["entries"] = list_entries(doc, sheet, v.getFormula1())
    return out


def main():
    src, dst, spec_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    times = {}
    t = time.time()
    report = {"validation": {}, "times": times}
    with office() as desktop:
        times["start"] = round(time.time() - t, 3)
        t = time.time()
        doc = desktop.loadComponentFromURL(url(src), "_blank", 0, props(Hidden=True))
        times["load"] = round(time.time() - t, 3)
        t = time.time()
        try:
            sheet = doc.Sheets.getByName(spec.get("sheet") or doc.Sheets.ElementNames[0])
            for addr in spec.get("inspect", []):
                report["validation"][addr] = validation_of(
                    doc, sheet, sheet.getCellRangeByName(addr)
                )
            for addr, value in spec.get("cells", {}).items():
                cell = sheet.getCellRangeByName(addr)
                if isinstance(value, dict) and "list" in value:
                    v = validation_of(doc, sheet, cell)
                    cell.setString(v["entries"][value["list"]])
                elif isinstance(value, (int, float)):
                    cell.setValue(value)
                else:
                    cell.setFormula(value)
            doc.calculateAll()
            times["fill"] = round(time.time() - t, 3)
            t = time.time()
            doc.storeToURL(url(dst), props(FilterName="Calc MS Excel 2007 XML", Overwrite=True))
            times["save"] = round(time.time() - t, 3)
        finally:
            doc.close(True)
    json.dump(report, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
