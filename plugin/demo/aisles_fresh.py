"""Vocabulary of the fresh aisles: produce, dairy & eggs, bakery, meat & seafood, deli."""

from __future__ import annotations

from plugin.demo.vocabulary import Aisle, ProductLine, listing, size_list

PRODUCE = Aisle(
    name="Produce",
    share=0.07,
    colour="#4f9d5a",
    vendors=listing(
        "Green Hollow Farm; Sunny Acres; Riverbend Growers; Cedar Creek Farms; Mesa Verde "
        "Orchards; Two Rivers Produce; Fresh Fields"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Honeycrisp; Gala; Fuji; Granny Smith; Pink Lady; Ambrosia; Braeburn; Golden "
                "Delicious; Jazz; McIntosh; Cosmic Crisp; Opal"
            ),
            nouns=listing("Apple"),
            sizes=size_list("each=1; 3 lb bag=3.1"),
            price=(1.09, 1.79),
            organic_share=0.4,
        ),
        ProductLine(
            varieties=listing("Bartlett; Bosc; Green Anjou; Red Anjou; Comice; Asian"),
            nouns=listing("Pear"),
            sizes=size_list("each=1; 2 lb bag=2.4"),
            price=(0.99, 1.69),
            organic_share=0.4,
        ),
        ProductLine(
            varieties=listing("Navel; Cara Cara; Blood; Valencia"),
            nouns=listing("Oranges"),
            sizes=size_list("each=1; 4 lb bag=4"),
            price=(0.89, 1.49),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Mango; Pineapple; Cantaloupe; Honeydew Melon; Seedless Watermelon; Papaya; "
                "Pomegranate; Ruby Red Grapefruit; Coconut; Kiwifruit; Yellow Peach; White "
                "Nectarine; Black Plum; Pluot; Dragon Fruit; Star Fruit"
            ),
            sizes=size_list("each=1"),
            price=(0.99, 4.49),
            organic_share=0.35,
        ),
        ProductLine(
            nouns=listing("Strawberries; Blueberries; Raspberries; Blackberries; Cherries"),
            sizes=size_list("6 oz=1; 12 oz=1.7; 1 pint=1.4; 2 lb=2.6"),
            price=(2.99, 4.49),
            organic_share=0.45,
        ),
        ProductLine(
            nouns=listing(
                "Red Seedless Grapes; Green Seedless Grapes; Black Seedless Grapes; Cotton Candy "
                "Grapes"
            ),
            sizes=size_list("1 lb=1; 2 lb bag=1.8; 3 lb bag=2.5"),
            price=(2.49, 3.99),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Broccoli Crowns; Cauliflower; Green Beans; Asparagus; Brussels Sprouts; Sweet "
                "Potatoes; Russet Potatoes; Yukon Gold Potatoes; Red Potatoes; Red Onions; Sweet "
                "Onions; Shallots; Carrots; Rainbow Carrots; Parsnips; Beets; Ginger Root; "
                "Jalapeño Peppers; Red Bell Peppers; Green Bell Peppers; Mini Sweet Peppers; Roma "
                "Tomatoes; Tomatoes on the Vine; Heirloom Tomatoes; Yellow Squash; Butternut "
                "Squash; Spaghetti Squash; Eggplant; Leeks; Radishes; Turnips; Snap Peas; Snow "
                "Peas; Okra; Celery Root; Fennel Bulb; Artichokes; Tomatillos; Poblano Peppers; "
                "Purple Cabbage"
            ),
            sizes=size_list("per lb=1; 2 lb bag=1.8"),
            price=(0.99, 3.49),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Lacinato Kale; Curly Kale; Rainbow Chard; Collard Greens; Cilantro; Italian "
                "Parsley; Curly Parsley; Dill; Mint; Basil; Thyme; Rosemary; Green Onions; Celery; "
                "Romaine Hearts; Green Leaf Lettuce; Red Leaf Lettuce; Butter Lettuce; Iceberg "
                "Lettuce; Bok Choy; Baby Bok Choy; Broccolini; Watercress; Radicchio; Belgian "
                "Endive"
            ),
            sizes=size_list("1 bunch=1"),
            price=(0.99, 2.99),
            organic_share=0.45,
        ),
        ProductLine(
            nouns=listing(
                "Baby Spinach; Spring Mix; Baby Arugula; Baby Kale; Power Greens; Mixed Greens; "
                "Herb Salad; Chopped Caesar Salad Kit; Asian Sesame Salad Kit; Southwest Salad "
                "Kit; Coleslaw Mix; Shredded Carrots; Broccoli Slaw; Butter Lettuce Blend"
            ),
            sizes=size_list("5 oz=1; 10 oz=1.6; 16 oz=2.2"),
            price=(2.99, 3.99),
            organic_share=0.5,
        ),
        ProductLine(
            nouns=listing(
                "White Mushrooms; Baby Bella Mushrooms; Shiitake Mushrooms; Oyster Mushrooms; "
                "Portobello Mushroom Caps; Sliced White Mushrooms; Sliced Baby Bella Mushrooms"
            ),
            sizes=size_list("8 oz=1; 16 oz=1.8"),
            price=(2.29, 3.99),
            organic_share=0.4,
        ),
        ProductLine(
            nouns=listing(
                "Hass Avocados; Lemons; Limes; Persian Cucumbers; Plantains; Baby Bananas; Meyer "
                "Lemons; Key Limes"
            ),
            sizes=size_list("4 ct bag=1; 2 lb bag=1.5"),
            price=(2.99, 4.99),
            organic_share=0.4,
        ),
    ),
)

DAIRY = Aisle(
    name="Dairy & Eggs",
    share=0.15,
    colour="#5b8fd6",
    vendors=listing(
        "Hillside Creamery; Blue Hen Dairy; Meadowlark Farms; Clover Ridge; North Pasture; Alpine "
        "Hollow Cheese Co.; Fresh Fields"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Whole; 2% Reduced Fat; 1% Low Fat; Fat Free; Lactose-Free Whole; Lactose-Free 2%; "
                "Chocolate; Grassfed Whole; Ultra-Filtered 2%"
            ),
            nouns=listing("Milk"),
            sizes=size_list("1 qt=1; ½ gal=1.7; 1 gal=2.9"),
            price=(1.49, 2.29),
            organic_share=0.4,
        ),
        ProductLine(
            varieties=listing(
                "Unsweetened Almond; Vanilla Almond; Original Oat; Extra Creamy Oat; Unsweetened "
                "Soy; Coconut; Unsweetened Cashew; Pea Protein"
            ),
            nouns=listing("Milk"),
            sizes=size_list("32 fl oz=1; 64 fl oz=1.6"),
            price=(2.99, 3.99),
            organic_share=0.3,
        ),
        ProductLine(
            varieties=listing(
                "Plain; Vanilla; Strawberry; Blueberry; Peach; Honey; Mixed Berry; Black Cherry; "
                "Key Lime; Coconut; Raspberry; Lemon; Mango"
            ),
            nouns=listing(
                "Greek Yogurt; Whole Milk Yogurt; Nonfat Greek Yogurt; Icelandic Skyr; Low Fat "
                "Yogurt"
            ),
            sizes=size_list("5.3 oz=1; 32 oz=4.2"),
            price=(1.09, 1.89),
            organic_share=0.35,
        ),
        ProductLine(
            varieties=listing(
                "Sharp Cheddar; Extra Sharp Cheddar; Mild Cheddar; White Cheddar; Colby Jack; "
                "Pepper Jack; Monterey Jack; Swiss; Provolone; Mozzarella; Muenster; Gouda; Smoked "
                "Gouda; Havarti; Gruyère; Manchego; Fontina"
            ),
            nouns=listing("{v} Cheese Block; Sliced {v} Cheese; Shredded {v} Cheese"),
            sizes=size_list("6 oz=1; 8 oz=1.3; 16 oz=2.2"),
            price=(2.99, 5.49),
            organic_share=0.2,
        ),
        ProductLine(
            nouns=listing(
                "Fresh Mozzarella Ball; Burrata; Crumbled Feta; Goat Cheese Log; Double Cream "
                "Brie; Camembert; Whole Milk Ricotta; Cottage Cheese; Low Fat Cottage Cheese; "
                "Cream Cheese; Whipped Cream Cheese; Halloumi; Mascarpone; Blue Cheese Crumbles; "
                "Mozzarella String Cheese; Grated Parmesan; Shaved Parmesan; Pecorino Romano"
            ),
            sizes=size_list("4 oz=1; 8 oz=1.7; 16 oz=3"),
            price=(2.99, 5.99),
            organic_share=0.25,
        ),
        ProductLine(
            varieties=listing(
                "Large Brown; Large White; Extra Large Brown; Pasture-Raised Large; Free-Range "
                "Large; Cage-Free Large; Omega-3 Large; Jumbo Brown"
            ),
            nouns=listing("Eggs"),
            sizes=size_list("6 ct=1; 12 ct=1.8; 18 ct=2.6"),
            price=(2.49, 3.99),
            organic_share=0.35,
        ),
        ProductLine(
            nouns=listing(
                "Salted Butter; Unsalted Butter; Cultured Butter; Whipped Butter; Heavy Whipping "
                "Cream; Half & Half; Light Cream; Sour Cream; Light Sour Cream; Crème Fraîche; "
                "Whipped Cream; Ghee; Sweet Cream Coffee Creamer; Vanilla Coffee Creamer; Hazelnut "
                "Coffee Creamer; Plain Kefir; Strawberry Kefir; Buttermilk"
            ),
            sizes=size_list("8 oz=1; 16 oz=1.7; 32 oz=2.9"),
            price=(1.99, 3.99),
            organic_share=0.3,
        ),
    ),
)

BAKERY = Aisle(
    name="Bakery",
    share=0.08,
    colour="#c98b48",
    vendors=listing(
        "Stonemill Bakery; Hearth & Crumb; Golden Loaf Co.; Little Oven; Rye & Rise; Fresh Fields "
        "Bakehouse"
    ),
    lines=(
        ProductLine(
            varieties=listing(
                "Sourdough; Whole Wheat; Honey Wheat; Multigrain; Seeded Rye; Pumpernickel; "
                "Potato; Brioche; Cinnamon Raisin; Sprouted Grain; Italian; Oatmeal; Country "
                "White; Seeded Whole Grain"
            ),
            nouns=listing("{v} Bread; {v} Sandwich Loaf"),
            sizes=size_list("16 oz=1; 20 oz=1.2; 24 oz=1.4"),
            price=(3.49, 5.49),
            organic_share=0.3,
        ),
        ProductLine(
            varieties=listing(
                "Brioche; Potato; Whole Wheat; Sesame; Pretzel; Hawaiian Sweet; Kaiser; Sourdough"
            ),
            nouns=listing(
                "{v} Hamburger Buns; {v} Hot Dog Buns; {v} Dinner Rolls; {v} Slider Buns"
            ),
            sizes=size_list("8 ct=1; 12 ct=1.4"),
            price=(2.99, 4.49),
            organic_share=0.15,
        ),
        ProductLine(
            varieties=listing(
                "Plain; Everything; Sesame; Cinnamon Raisin; Blueberry; Onion; Whole Wheat; Poppy "
                "Seed; Asiago"
            ),
            nouns=listing("{v} Bagels; {v} English Muffins"),
            sizes=size_list("4 ct=1; 6 ct=1.4"),
            price=(2.99, 4.29),
            organic_share=0.2,
        ),
        ProductLine(
            varieties=listing(
                "Flour; Corn; Whole Wheat; Spinach; Low Carb; Almond Flour; Street Taco; Burrito "
                "Size Flour"
            ),
            nouns=listing("{v} Tortillas"),
            sizes=size_list("8 ct=1; 10 ct=1.2; 30 ct=2.4"),
            price=(2.49, 4.49),
            organic_share=0.25,
        ),
        ProductLine(
            nouns=listing(
                "Garlic Naan; Plain Naan; Pita Bread; Whole Wheat Pita; Lavash; Pizza Crust; "
                "Rosemary Focaccia; Baguette; Demi Baguette; Butter Croissants; Chocolate "
                "Croissants; Blueberry Muffins; Banana Nut Muffins; Chocolate Chip Muffins; "
                "Cinnamon Rolls; Glazed Donuts; Apple Turnovers; Coffee Crumb Cake; Lemon Pound "
                "Cake; Carrot Cake; Chocolate Chip Cookies; Oatmeal Raisin Cookies; Fudge "
                "Brownies; Lemon Bars; Cranberry Orange Scones; Challah; Apple Pie; Pumpkin Pie"
            ),
            sizes=size_list("=1"),
            price=(2.99, 7.99),
            organic_share=0.2,
        ),
    ),
)

MEAT_SEAFOOD = Aisle(
    name="Meat & Seafood",
    share=0.03,
    colour="#c0504d",
    vendors=listing(
        "Prairie Creek Ranch; Blue Ridge Poultry; Harbor & Hook; Cedar Smokehouse; Fresh Fields "
        "Butcher"
    ),
    lines=(
        ProductLine(
            nouns=listing(
                "Boneless Skinless Chicken Breasts; Bone-In Chicken Thighs; Boneless Chicken "
                "Thighs; Chicken Drumsticks; Chicken Wings; Whole Chicken; Ground Chicken; Ground "
                "Turkey; 93% Lean Ground Beef; 85% Lean Ground Beef; Ribeye Steak; New York Strip "
                "Steak; Top Sirloin Steak; Flank Steak; Beef Stew Meat; Chuck Roast; Pork "
                "Tenderloin; Boneless Pork Chops; Baby Back Ribs; Sweet Italian Sausage; Chicken "
                "Apple Sausage; Breakfast Sausage Links; Bratwurst; Uncured Bacon; Thick Cut "
                "Bacon; Turkey Bacon; Uncured Beef Hot Dogs; Atlantic Salmon Fillet; Wild Sockeye "
                "Salmon; Cod Fillets; Tilapia Fillets; Raw Shrimp; Cooked Shrimp; Sea Scallops; "
                "Ahi Tuna Steaks; Lump Crab Meat"
            ),
            sizes=size_list("12 oz=0.8; 1 lb=1; 2 lb=1.9; 3 lb family pack=2.6"),
            price=(4.99, 12.99),
            organic_share=0.25,
        ),
    ),
)

DELI = Aisle(
    name="Deli & Prepared",
    share=0.02,
    colour="#9c6b98",
    vendors=listing(
        "Cedar Smokehouse; Corner Deli Co.; Mezze Table; Good Soy Kitchen; Fresh Fields"
    ),
    lines=(
        ProductLine(
            nouns=listing(
                "Oven Roasted Turkey Breast; Honey Ham; Black Forest Ham; Roast Beef; Genoa "
                "Salami; Pepperoni Slices; Prosciutto; Smoked Turkey Breast; Grilled Chicken "
                "Breast Slices; Classic Hummus; Roasted Red Pepper Hummus; Spicy Hummus; "
                "Guacamole; Pico de Gallo; Tzatziki; Chicken Salad; Egg Salad; Firm Tofu; Extra "
                "Firm Tofu; Tempeh; Plant-Based Burger Patties; Plant-Based Sausages; Fresh Basil "
                "Pesto; Olive Tapenade"
            ),
            sizes=size_list("7 oz=1; 10 oz=1.35; 16 oz=1.9"),
            price=(3.49, 5.99),
            organic_share=0.3,
        ),
    ),
)
