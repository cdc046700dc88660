package io.leadmkt.simulator;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Realistic-looking consumer data: US places whose zips and area codes match their state, common
 * names, streets and the verticals' qualifying questions. Pick from it with a seeded
 * {@link Random} so runs repeat.
 */
public final class SampleData {

    public static final String AUTO_INSURANCE = "auto_insurance";
    public static final String SOLAR = "solar";
    public static final String HOME_SERVICES = "home_services";
    public static final List<String> VERTICALS = List.of(AUTO_INSURANCE, SOLAR, HOME_SERVICES);

    /** A city with its state, the first three digits of its zips and its area codes. */
    public record Place(String state, String city, String zipPrefix, List<String> areaCodes) {
    }

    public static final List<Place> PLACES = List.of(
            new Place("TX", "Austin", "787", List.of("512", "737")),
            new Place("TX", "Dallas", "752", List.of("214", "469", "972")),
            new Place("TX", "Houston", "770", List.of("713", "281", "832")),
            new Place("CA", "Los Angeles", "900", List.of("213", "310", "323")),
            new Place("CA", "San Diego", "921", List.of("619", "858")),
            new Place("CA", "Sacramento", "958", List.of("916")),
            new Place("FL", "Miami", "331", List.of("305", "786")),
            new Place("FL", "Orlando", "328", List.of("407", "321")),
            new Place("FL", "Tampa", "336", List.of("813")),
            new Place("NY", "Buffalo", "142", List.of("716")),
            new Place("NY", "Albany", "122", List.of("518")),
            new Place("IL", "Chicago", "606", List.of("312", "773")),
            new Place("AZ", "Phoenix", "850", List.of("602", "480")),
            new Place("GA", "Atlanta", "303", List.of("404", "678")),
            new Place("NC", "Charlotte", "282", List.of("704", "980")),
            new Place("CO", "Denver", "802", List.of("303", "720")),
            new Place("WA", "Seattle", "981", List.of("206")),
            new Place("OH", "Columbus", "432", List.of("614")),
            new Place("PA", "Philadelphia", "191", List.of("215", "267")),
            new Place("NV", "Las Vegas", "891", List.of("702")));

    public static final List<String> STATES = PLACES.stream().map(Place::state).distinct().toList();

    static final List<String> FIRST_NAMES = List.of("James", "Mary", "Robert", "Patricia", "John", "Jennifer",
            "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
            "Thomas", "Sarah", "Carlos", "Maria", "Wei", "Priya", "Andre", "Keisha", "Diego", "Sofia");
    static final List<String> LAST_NAMES = List.of("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
            "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas",
            "Taylor", "Moore", "Nguyen", "Patel", "Kim", "Jackson", "White", "Harris", "Clark");
    static final List<String> STREETS = List.of("Oak St", "Maple Ave", "Cedar Ln", "Elm St", "Pine Rd",
            "Washington Blvd", "Lakeview Dr", "Park Ave", "Sunset Blvd", "Hillcrest Rd", "Main St", "2nd St");
    static final List<String> EMAIL_DOMAINS = List.of("example.com", "example.net", "example.org");
    static final List<String> MAKES = List.of("Toyota", "Honda", "Ford", "Chevrolet", "Nissan", "Hyundai", "Tesla");

    private SampleData() {
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A ten-digit NANP number for the place: area code, exchange 200-999 (not N11), line. */
    static String nationalNumber(Random random, Place place) {
        int exchange;
        do {
            exchange = 200 + random.nextInt(800);
        } while (exchange % 100 == 11);
        return pick(random, place.areaCodes()) + exchange + String.format("%04d", random.nextInt(10_000));
    }

    /** The number the way a person types it into a form; every variant normalises to the same E.164. */
    static String humanFormat(Random random, String national) {
        String area = national.substring(0, 3);
        String exchange = national.substring(3, 6);
        String line = national.substring(6);
        return switch (random.nextInt(5)) {
            case 0 -> "(" + area + ") " + exchange + "-" + line;
            case 1 -> area + "-" + exchange + "-" + line;
            case 2 -> "+1 " + area + " " + exchange + " " + line;
            case 3 -> area + "." + exchange + "." + line;
            default -> national;
        };
    }

    static String zip(Random random, Place place) {
        return place.zipPrefix() + String.format("%02d", random.nextInt(100));
    }

    /** Qualifying answers a buyer of the vertical asks for. */
    static Map<String, String> attributes(Random random, String vertical) {
        return switch (vertical) {
            case AUTO_INSURANCE -> Map.of(
                    "vehicle_year", Integer.toString(2008 + random.nextInt(18)),
                    "vehicle_make", pick(random, MAKES),
                    "currently_insured", Boolean.toString(random.nextInt(4) != 0),
                    "drivers", Integer.toString(1 + random.nextInt(3)));
            case SOLAR -> Map.of(
                    "homeowner", "true",
                    "monthly_electric_bill", Integer.toString(80 + random.nextInt(320)),
                    "roof_shade", pick(random, List.of("none", "partial", "heavy")));
            case HOME_SERVICES -> Map.of(
                    "service", pick(random, List.of("roofing", "plumbing", "hvac", "windows")),
                    "homeowner", Boolean.toString(random.nextInt(5) != 0),
                    "timeframe", pick(random, List.of("immediately", "1-3 months", "researching")));
            default -> Map.of();
        };
    }
}
