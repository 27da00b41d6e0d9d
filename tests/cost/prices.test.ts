import { expect } from "chai";
import type { RegistryOptions } from "../../provider/client/types";
import { planChangeLines } from "../../provider/resources/cost/plan-change";
import { formatGiB, formatUsd, formatUsdChange, GIB, monthlyCost } from "../../provider/shared/cost";

/** Prices as the options API gives them (values of the emulator's tiers). */
const OPTIONS: RegistryOptions = {
    available_regions: ["nyc3"],
    subscription_tiers: [
        {
            slug: "starter",
            included_storage_bytes: 500 * 1024 ** 2,
            allow_storage_overage: false,
            monthly_price_in_cents: 0,
            storage_overage_price_in_cents: 0,
        },
        {
            slug: "basic",
            included_storage_bytes: 5 * GIB,
            allow_storage_overage: true,
            monthly_price_in_cents: 500,
            storage_overage_price_in_cents: 2,
        },
        {
            slug: "professional",
            included_storage_bytes: 100 * GIB,
            allow_storage_overage: true,
            monthly_price_in_cents: 2000,
            storage_overage_price_in_cents: 2,
        },
    ],
};

describe("cost: monthly prices from the API's tiers", function () {
    it("formats dollars with cents and signed differences", function () {
        expect([formatUsd(0), formatUsd(500), formatUsd(4), formatUsd(-1500), formatUsd(2000.4)]).to.deep.equal([
            "$0.00",
            "$5.00",
            "$0.04",
            "-$15.00",
            "$20.00",
        ]);
        expect([formatUsdChange(1500), formatUsdChange(-1496), formatUsdChange(0)]).to.deep.equal([
            "+$15.00",
            "-$14.96",
            "+$0.00",
        ]);
        expect([formatGiB(5 * GIB), formatGiB(7.5 * GIB), formatGiB(500 * 1024 ** 2)]).to.deep.equal([
            "5 GiB",
            "7.5 GiB",
            "0.49 GiB",
        ]);
    });

    it("adds storage overage beyond the included amount, per GiB, and none for a tier that allows none", function () {
        const basic = OPTIONS.subscription_tiers[1];
        expect(monthlyCost(basic, 4 * GIB)).to.deep.include({ planCents: 500, overageBytes: 0, totalCents: 500 });
        expect(monthlyCost(basic, 7 * GIB)).to.deep.include({
            overageBytes: 2 * GIB,
            overageCents: 4,
            totalCents: 504,
        });
        expect(monthlyCost(basic, 5.5 * GIB).totalCents, "half a GiB: one cent").to.equal(501);
        const starter = OPTIONS.subscription_tiers[0];
        expect(monthlyCost(starter, 7 * GIB)).to.deep.include({ overageBytes: 0, totalCents: 0 });
    });

    it("never guesses a price the API does not give: it names it and leaves the total out", function () {
        const cost = monthlyCost({ slug: "basic", included_storage_bytes: 5 * GIB }, 7 * GIB);
        expect(cost.totalCents).to.equal(undefined);
        expect(cost.missing).to.deep.equal(["no monthly price", "no storage overage price"]);
        const lines = planChangeLines(
            { available_regions: [], subscription_tiers: [OPTIONS.subscription_tiers[1], { slug: "enterprise" }] },
            "basic",
            "enterprise",
            GIB,
        );
        expect(lines).to.deep.equal([
            "registry plan: basic $5.00 → enterprise (the API gives no monthly price) a month (difference unknown)",
            "registry plan: at the team's current storage of 1 GiB: basic $5.00 (5 GiB included) → enterprise " +
                "(the API gives no monthly price, no included storage) a month in all (difference unknown)",
        ]);
    });

    it("says the plan change, and the totals at the current storage when overage applies on either side", function () {
        expect(planChangeLines(OPTIONS, "basic", "professional", GIB)).to.deep.equal([
            "registry plan: basic $5.00 → professional $20.00 a month (+$15.00)",
        ]);
        expect(planChangeLines(OPTIONS, "professional", "basic", 7 * GIB)).to.deep.equal([
            "registry plan: professional $20.00 → basic $5.00 a month (-$15.00)",
            "registry plan: at the team's current storage of 7 GiB: professional $20.00 (100 GiB included) → " +
                "basic $5.04 (5 GiB included, 2 GiB over at $0.02/GiB: $0.04) a month in all (-$14.96)",
        ]);
        expect(planChangeLines(OPTIONS, undefined, "basic", 0)).to.deep.equal([
            "registry plan: no plan → basic $5.00 a month (+$5.00)",
        ]);
    });
});
