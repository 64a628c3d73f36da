"""Vocabulary of the shelf aisles: pantry, snacks, beverages, frozen, household."""

from __future__ import annotations

from plugin.demo.vocabulary import Aisle, ProductLine, listing, size_list

PANTRY = Aisle(
    name="Pantry",
    share=0.19,
    colour="#b0703a",
    vendors=listing(
        "Old Town Pantry; Harvest Table; Blue Mesa Kitchen; Marigold Provisions; Nonna Rosa; "
        "Golden Grain Mills; Three Sisters Foods; Seaside Larder; Fresh Fields"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Spaghetti; Penne Rigate; Rigatoni; Fusilli; Farfalle; Linguine; Fettuccine; "
                "Orecchiette; Rotini; Elbow Macaroni; Angel Hair; Bucatini; Orzo; Lasagna Noodles; "
                "Medium Shells; Ziti"
            ),
            nouns=listing("{v}; Whole Wheat {v}; Gluten-Free {v}; Chickpea {v}"),
            sizes=size_list("12 oz=1; 16 oz=1.25"),
            price=(1.29, 2.49),
            organic_share=0.3,
        ),
        ProductLine(
            varieties=listing(
                "Marinara; Tomato Basil; Arrabbiata; Vodka; Roasted Garlic; Puttanesca; Four "
                "Cheese; Alfredo; Mushroom; Roasted Red Pepper"
            ),
            nouns=listing("{v} Pasta Sauce"),
            sizes=size_list("15 oz=1; 24 oz=1.5"),
            price=(2.99, 5.99),
            organic_share=0.3,
        ),
        ProductLine(
            nouns=listing(
                "Black Beans; Pinto Beans; Kidney Beans; Cannellini Beans; Garbanzo Beans; Great "
                "Northern Beans; Refried Beans; Diced Tomatoes; Crushed Tomatoes; Whole Peeled "
                "Tomatoes; Fire Roasted Diced Tomatoes; Tomato Sauce; Sweet Corn; Sweet Peas; Cut "
                "Green Beans; Pumpkin Purée; Artichoke Hearts; Hearts of Palm; Black Olives; "
                "Kalamata Olives"
            ),
            sizes=size_list("15 oz=1; 28 oz=1.6"),
            price=(0.99, 2.49),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Chicken Broth; Low Sodium Chicken Broth; Vegetable Broth; Beef Broth; Chicken "
                "Bone Broth; Chicken Noodle Soup; Creamy Tomato Soup; Lentil Soup; Minestrone "
                "Soup; Split Pea Soup; Butternut Squash Soup; Coconut Milk; Lite Coconut Milk"
            ),
            sizes=size_list("14 oz=1; 32 oz=1.8"),
            price=(1.49, 3.29),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Chunk Light Tuna in Water; Solid White Albacore Tuna; Wild Pink Salmon; Sardines "
                "in Olive Oil; Anchovy Fillets; Smoked Oysters"
            ),
            sizes=size_list("5 oz=1; 4-pack=3.6"),
            price=(1.49, 3.49),
        ),
        ProductLine(
            varieties=listing(
                "Jasmine; Basmati; Long Grain White; Long Grain Brown; Wild; Arborio; Sushi; "
                "Black; Sprouted Brown"
            ),
            nouns=listing("{v} Rice"),
            sizes=size_list("2 lb=1; 5 lb=2.2"),
            price=(2.49, 4.49),
            organic_share=0.35,
        ),
        ProductLine(
            nouns=listing(
                "White Quinoa; Tri-Color Quinoa; Red Lentils; Green Lentils; Pearled Couscous; "
                "Farro; Steel Cut Oats; Old Fashioned Rolled Oats; Quick Oats; Polenta; Bulgur "
                "Wheat; Pearl Barley; Chia Seeds; Ground Flaxseed; Hemp Hearts; Dried Black Beans"
            ),
            sizes=size_list("16 oz=1; 32 oz=1.8"),
            price=(2.29, 5.49),
            organic_share=0.45,
        ),
        ProductLine(
            nouns=listing(
                "All-Purpose Flour; Bread Flour; Whole Wheat Flour; Almond Flour; Cane Sugar; "
                "Light Brown Sugar; Dark Brown Sugar; Powdered Sugar; Coconut Sugar; Buttermilk "
                "Pancake Mix; Fudge Brownie Mix; Yellow Cake Mix; Cornbread Mix"
            ),
            sizes=size_list("2 lb=1; 5 lb=2.1"),
            price=(2.49, 4.99),
            organic_share=0.35,
        ),
        ProductLine(
            nouns=listing(
                "Baking Soda; Double-Acting Baking Powder; Pure Vanilla Extract; Semi-Sweet "
                "Chocolate Chips; Dark Chocolate Chips; Unsweetened Cocoa Powder; Cornstarch; "
                "Active Dry Yeast; Pure Maple Syrup; Clover Honey; Raw Wildflower Honey; "
                "Blackstrap Molasses; Blue Agave Nectar"
            ),
            sizes=size_list("=1; 2-pack=1.9"),
            price=(1.99, 6.99),
            organic_share=0.3,
        ),
        ProductLine(
            nouns=listing(
                "Extra Virgin Olive Oil; Avocado Oil; Canola Oil; Toasted Sesame Oil; Virgin "
                "Coconut Oil; Balsamic Vinegar of Modena; Apple Cider Vinegar; Red Wine Vinegar; "
                "Seasoned Rice Vinegar"
            ),
            sizes=size_list("16.9 fl oz=1; 33.8 fl oz=1.8"),
            price=(3.49, 8.99),
            organic_share=0.35,
        ),
        ProductLine(
            nouns=listing(
                "Dijon Mustard; Yellow Mustard; Whole Grain Mustard; Tomato Ketchup; Real "
                "Mayonnaise; Avocado Oil Mayo; Sriracha Chili Sauce; Louisiana Hot Sauce; Soy "
                "Sauce; Low Sodium Soy Sauce; Tamari; Fish Sauce; Worcestershire Sauce; Smoky BBQ "
                "Sauce; Teriyaki Sauce; Salsa Verde; Chunky Medium Salsa; Ranch Dressing; Caesar "
                "Dressing; Balsamic Vinaigrette; Italian Dressing; Creamy Peanut Butter; Crunchy "
                "Peanut Butter; Almond Butter; Cashew Butter; Tahini; Strawberry Preserves; "
                "Raspberry Jam; Concord Grape Jelly; Apricot Preserves; Orange Marmalade; "
                "Chocolate Hazelnut Spread"
            ),
            sizes=size_list("12 oz=1; 24 oz=1.7"),
            price=(2.49, 5.49),
            organic_share=0.3,
        ),
        ProductLine(
            nouns=listing(
                "Ground Cinnamon; Ground Cumin; Smoked Paprika; Chili Powder; Garlic Powder; Onion "
                "Powder; Dried Oregano; Italian Seasoning; Crushed Red Pepper; Ground Turmeric; "
                "Ground Ginger; Black Peppercorns; Bay Leaves; Curry Powder; Garam Masala; "
                "Everything Bagel Seasoning; Taco Seasoning; Ground Nutmeg; Dried Thyme; Fine Sea "
                "Salt; Kosher Salt; Pink Himalayan Salt; Lemon Pepper"
            ),
            sizes=size_list("2 oz=1; 4 oz=1.6"),
            price=(2.49, 4.99),
            organic_share=0.4,
        ),
        ProductLine(
            varieties=listing(
                "Honey Almond; Maple Pecan; Cinnamon; Dark Chocolate; Vanilla; Peanut Butter; "
                "Blueberry; Coconut Cashew; Cherry Almond; Ancient Grain"
            ),
            nouns=listing("{v} Granola; {v} Crunch Cereal; {v} Instant Oatmeal; {v} Oat Clusters"),
            sizes=size_list("8 oz=1; 12 oz=1.35; 16 oz=1.7"),
            price=(2.99, 4.99),
            organic_share=0.35,
        ),
    ),
)

SNACKS = Aisle(
    name="Snacks",
    share=0.19,
    colour="#d99a1e",
    vendors=listing(
        "Crisp & Co.; Harbor Light Snacks; Trailhead Foods; Sunday Picnic; Kettle Hollow; Little "
        "Bear Bakery; Fresh Fields"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Sea Salt; Salt & Vinegar; Barbecue; Jalapeño; Cracked Pepper; Sour Cream & Onion; "
                "Lime; Honey Dijon; Dill Pickle; Rosemary; Unsalted; Chili Lime"
            ),
            nouns=listing(
                "{v} Kettle Chips; {v} Tortilla Chips; {v} Potato Chips; {v} Pita Chips; {v} "
                "Veggie Straws; {v} Plantain Chips"
            ),
            sizes=size_list("5 oz=1; 8 oz=1.3; 13 oz=1.8"),
            price=(2.49, 3.99),
            organic_share=0.25,
        ),
        ProductLine(
            varieties=listing(
                "Original; Sea Salt; Cracked Pepper; Rosemary; Everything; Whole Wheat; "
                "Multigrain; White Cheddar; Toasted Sesame; Rye"
            ),
            nouns=listing(
                "{v} Crackers; {v} Crispbread; {v} Rice Crackers; {v} Water Crackers; {v} Pretzel "
                "Thins"
            ),
            sizes=size_list("4.5 oz=1; 8 oz=1.5"),
            price=(2.49, 4.49),
            organic_share=0.25,
        ),
        ProductLine(
            varieties=listing(
                "Chocolate Chip; Double Chocolate; Oatmeal Raisin; Peanut Butter; Snickerdoodle; "
                "Ginger Snap; Lemon; Butter Shortbread; Salted Caramel; Coconut; Almond; Mint "
                "Chocolate"
            ),
            nouns=listing("{v} Cookies; {v} Mini Cookies; {v} Sandwich Cookies"),
            sizes=size_list("7 oz=1; 13 oz=1.6"),
            price=(2.99, 4.49),
            organic_share=0.2,
        ),
        ProductLine(
            varieties=listing(
                "Peanut Butter; Dark Chocolate Sea Salt; Almond Coconut; Blueberry Almond; "
                "Cranberry Almond; Chocolate Chip; Lemon Cashew; Apple Cinnamon; Maple Pecan; "
                "Cherry Pie; Cookie Dough; Banana Bread"
            ),
            nouns=listing("{v} Protein Bars; {v} Granola Bars; {v} Nut Bars; {v} Fruit & Nut Bars"),
            sizes=size_list("5 ct=1; 12 ct=2.1"),
            price=(4.49, 6.99),
            organic_share=0.25,
        ),
        ProductLine(
            nouns=listing(
                "Roasted Almonds; Raw Almonds; Whole Cashews; Sea Salt Cashews; Shelled "
                "Pistachios; In-Shell Pistachios; Walnut Halves; Pecan Halves; Mixed Nuts; Deluxe "
                "Mixed Nuts; Honey Roasted Peanuts; Classic Trail Mix; Mountain Trail Mix; Dried "
                "Mango; Dried Apricots; Dried Cranberries; Golden Raisins; Medjool Dates; Dried "
                "Mission Figs; Banana Chips; Roasted Seaweed Snacks; Pumpkin Seeds; Sunflower "
                "Kernels"
            ),
            sizes=size_list("6 oz=1; 16 oz=2.3"),
            price=(3.49, 6.99),
            organic_share=0.3,
        ),
        ProductLine(
            nouns=listing(
                "Sea Salt Popcorn; White Cheddar Popcorn; Kettle Corn; Butter Microwave Popcorn; "
                "Mini Pretzel Twists; Sourdough Pretzels; Baked Cheese Puffs; Lightly Salted Rice "
                "Cakes; Mixed Fruit Snacks; Dark Chocolate Bar; Milk Chocolate Bar; Dark Chocolate "
                "Almonds; Peanut Butter Cups; Gummy Bears; Sour Gummy Worms; Strawberry Fruit "
                "Leather; Apple Cinnamon Applesauce Pouches; Original Beef Jerky; Teriyaki Beef "
                "Jerky; Turkey Jerky"
            ),
            sizes=size_list("5 oz=1; 10 oz=1.7"),
            price=(2.49, 5.49),
            organic_share=0.25,
        ),
    ),
)

BEVERAGES = Aisle(
    name="Beverages",
    share=0.11,
    colour="#2f9db3",
    vendors=listing(
        "Clearwater Springs; Bright Morning Coffee; Orchard Lane Juice; Teahouse Row; Fizz & Pop; "
        "Mountain Brook; Fresh Fields"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Lime; Lemon; Grapefruit; Black Cherry; Orange; Mixed Berry; Mango; Unflavored; "
                "Cucumber Mint; Raspberry Lime; Watermelon; Peach; Coconut; Key Lime; Tangerine"
            ),
            nouns=listing("{v} Sparkling Water; {v} Seltzer"),
            sizes=size_list("8-pack 12 fl oz=1; 12-pack 12 fl oz=1.4; 1 L=0.35"),
            price=(4.49, 5.99),
        ),
        ProductLine(
            nouns=listing(
                "Orange Juice; Pulp-Free Orange Juice; Apple Juice; Cranberry Juice Cocktail; "
                "Concord Grape Juice; Pineapple Juice; Ruby Red Grapefruit Juice; Classic "
                "Lemonade; Pink Lemonade; Cold-Pressed Green Juice; Carrot Ginger Juice; Tart "
                "Cherry Juice; Pomegranate Juice; Coconut Water; Mango Nectar; Apple Cider; "
                "Vegetable Juice"
            ),
            sizes=size_list("12 fl oz=1; 52 fl oz=2.2; 89 fl oz=3.1"),
            price=(1.99, 3.49),
            organic_share=0.35,
        ),
        ProductLine(
            varieties=listing(
                "French Roast; Breakfast Blend; Colombian; House Blend; Italian Roast; Ethiopian; "
                "Guatemalan; Sumatra; Decaf House Blend; Espresso Roast; Hazelnut; Vanilla Nut; "
                "Mocha Java; Costa Rican"
            ),
            nouns=listing("{v} Ground Coffee; {v} Whole Bean Coffee; {v} Coffee Pods"),
            sizes=size_list("12 oz=1; 24 oz=1.8"),
            price=(7.99, 10.99),
            organic_share=0.3,
        ),
        ProductLine(
            varieties=listing(
                "English Breakfast; Earl Grey; Green; Jasmine Green; Chamomile; Peppermint; Masala "
                "Chai; Rooibos; Lemon Ginger; Hibiscus; Oolong; White; Matcha Green; Decaf Black"
            ),
            nouns=listing("{v} Tea"),
            sizes=size_list("20 tea bags=1; 80 tea bags=3; 4 oz loose leaf=2.2"),
            price=(3.49, 5.49),
            organic_share=0.35,
        ),
        ProductLine(
            varieties=listing(
                "Ginger; Raspberry; Lemon; Mango; Hibiscus; Lavender; Grapefruit; Passionfruit; "
                "Pineapple; Blood Orange; Watermelon; Guava"
            ),
            nouns=listing("{v} Kombucha; {v} Sparkling Tonic"),
            sizes=size_list("16 fl oz=1; 4-pack 12 fl oz=3"),
            price=(2.99, 3.99),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Cola; Zero Sugar Cola; Root Beer; Ginger Ale; Ginger Beer; Cream Soda; Lemon-Lime "
                "Soda; Orange Soda; Tonic Water; Club Soda; Cold Brew Coffee; Oat Milk Latte; "
                "Sweet Tea; Unsweetened Iced Tea; Lemon-Lime Electrolyte Drink; Spring Water; "
                "Alkaline Water"
            ),
            sizes=size_list("6-pack 12 fl oz=1; 12-pack 12 fl oz=1.7; 2 L=0.45"),
            price=(3.99, 5.49),
            organic_share=0.1,
        ),
    ),
)

FROZEN = Aisle(
    name="Frozen",
    share=0.1,
    colour="#5d9fd0",
    vendors=listing(
        "Polar Pantry; Northwind Frozen; Golden Hearth; Snowline Kitchens; Little Italy Kitchen; "
        "Fresh Fields"
    ),
    lines=(
        ProductLine(
            nouns=listing(
                "Frozen Sweet Peas; Frozen Sweet Corn; Steamable Broccoli Florets; Frozen Cut "
                "Green Beans; Shelled Edamame; Frozen Mixed Vegetables; Stir-Fry Vegetables; Riced "
                "Cauliflower; Frozen Chopped Spinach; Frozen Brussels Sprouts; Sweet Potato Fries; "
                "Crinkle Cut Fries; Hash Brown Patties; Potato Tots; Frozen Strawberries; Frozen "
                "Blueberries; Frozen Wild Blueberries; Frozen Mango Chunks; Frozen Pineapple "
                "Chunks; Frozen Dark Sweet Cherries; Frozen Triple Berry Blend; Frozen "
                "Raspberries; Acai Smoothie Packs; Frozen Sliced Peaches"
            ),
            sizes=size_list("10 oz=1; 16 oz=1.4; 32 oz=2.3"),
            price=(1.99, 3.99),
            organic_share=0.4,
        ),
        ProductLine(
            varieties=listing(
                "Vanilla Bean; Dark Chocolate; Mint Chip; Cookies & Cream; Salted Caramel; "
                "Strawberry; Coffee; Butter Pecan; Rocky Road; Pistachio; Cookie Dough; Chocolate "
                "Peanut Butter; Black Cherry; Toasted Coconut; Mango; Birthday Cake; Dulce de "
                "Leche"
            ),
            nouns=listing(
                "{v} Ice Cream; {v} Gelato; {v} Frozen Yogurt; {v} Non-Dairy Frozen Dessert"
            ),
            sizes=size_list("1 pint=1; 1.5 qt=1.3"),
            price=(3.99, 5.99),
            organic_share=0.2,
        ),
        ProductLine(
            nouns=listing(
                "Thin Crust Cheese Pizza; Pepperoni Pizza; Margherita Pizza; Supreme Pizza; Four "
                "Cheese Pizza; Cauliflower Crust Pizza; Spinach & Ricotta Ravioli; Cheese "
                "Tortellini; Potato Gnocchi; Chicken Pot Pie; Beef Lasagna; Vegetable Lasagna; "
                "Baked Mac & Cheese; Chicken Tikka Masala; Chicken Pad Thai; Vegetable Fried Rice; "
                "Chicken Fried Rice; Pork Potstickers; Chicken Potstickers; Vegetable Dumplings; "
                "Bean & Cheese Burritos; Chicken Enchiladas; Veggie Burgers; Black Bean Burgers; "
                "Breaded Chicken Nuggets; Breaded Fish Fillets; Shrimp Tempura; Homestyle Waffles; "
                "Blueberry Waffles; Egg & Cheese Breakfast Burritos; Spanakopita; Mini Quiches; "
                "Mozzarella Sticks; Soft Pretzels; Pie Crusts; Puff Pastry Sheets"
            ),
            sizes=size_list("10 oz=1; 22 oz=1.8"),
            price=(3.49, 6.99),
            organic_share=0.2,
        ),
        ProductLine(
            nouns=listing(
                "Strawberry Fruit Bars; Mango Fruit Bars; Coconut Fruit Bars; Vanilla Ice Cream "
                "Sandwiches; Mochi Ice Cream; Chocolate Dipped Cones; Greek Frozen Yogurt Bars; "
                "Fudge Bars; Lemonade Ice Pops"
            ),
            sizes=size_list("4 ct=1; 6 ct=1.4"),
            price=(3.99, 5.49),
            organic_share=0.2,
        ),
    ),
)

HOUSEHOLD = Aisle(
    name="Household",
    share=0.05,
    colour="#7f6fb3",
    vendors=listing(
        "Brightside Home; Clean Slate; Evergreen Essentials; Honeybee Naturals; Fresh Fields"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Lavender; Lemon; Unscented; Eucalyptus Mint; Grapefruit; Free & Clear; Ocean "
                "Breeze; Geranium; Basil; Sweet Orange"
            ),
            nouns=listing(
                "{v} Dish Soap; {v} Laundry Detergent; {v} All-Purpose Cleaner; {v} Hand Soap; {v} "
                "Dishwasher Pods; {v} Glass Cleaner; {v} Fabric Softener; {v} Body Wash; {v} Bar "
                "Soap; {v} Shampoo; {v} Conditioner"
            ),
            sizes=size_list("=1; 2-pack=1.8"),
            price=(3.49, 8.99),
        ),
        ProductLine(
            nouns=listing(
                "Paper Towels; Bath Tissue; Facial Tissues; Dinner Napkins; Aluminum Foil; "
                "Parchment Paper; Plastic Wrap; Zip Sandwich Bags; Gallon Storage Bags; Tall "
                "Kitchen Trash Bags; Compostable Trash Bags; Kitchen Sponges; Dish Brush; Cotton "
                "Dish Cloths; Mint Toothpaste; Whitening Toothpaste; Waxed Dental Floss; Cotton "
                "Swabs; Natural Deodorant; Lip Balm; SPF 30 Sunscreen; Hand Sanitizer; Baby Wipes; "
                "Size 3 Diapers; Size 4 Diapers; Clumping Cat Litter; Dry Dog Food; Dry Cat Food; "
                "Peanut Butter Dog Treats; AA Batteries; LED Light Bulbs; Kitchen Matches"
            ),
            sizes=size_list("=1; value pack=1.9"),
            price=(2.99, 12.99),
        ),
    ),
)
